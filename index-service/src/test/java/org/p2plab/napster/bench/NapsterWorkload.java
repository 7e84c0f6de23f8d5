package org.p2plab.napster.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.p2plab.napster.protocol.SharedFile;

/**
 * The benchmarks' synthetic library: a vocabulary of 20,000 pronounceable words used with Zipf's
 * law (a few words are very common, most are rare), 5,000 artists of one or two words, and files
 * {@code C:\MP3\<artist>\<artist> - <title>.mp3} whose titles have two or three words; queries
 * of one to three words from the same distribution. Deterministic for a seed.
 */
final class NapsterWorkload {

    static final int VOCABULARY = 20_000;
    static final int ARTISTS = 5_000;
    private static final int[] BITRATES = {96, 128, 128, 128, 160, 192, 256, 320};

    private final String[] words = vocabulary(VOCABULARY, new SplittableRandom(1));
    private final double[] zipf = zipfCdf(VOCABULARY, 1.0);

    /** User {@code user}'s {@code n} files. */
    SharedFile[] files(int user, int n) {
        SplittableRandom r = new SplittableRandom(user * 31L + 7);
        SharedFile[] out = new SharedFile[n];
        for (int i = 0; i < n; i++) {
            String artist = artist(r.nextInt(ARTISTS));
            String title = word(r) + " " + word(r) + (r.nextBoolean() ? " " + word(r) : "");
            long size = 2_000_000 + r.nextInt(6_000_000);
            int bitrate = BITRATES[r.nextInt(BITRATES.length)];
            out[i] = new SharedFile("C:\\MP3\\" + artist + "\\" + artist + " - " + title + ".mp3",
                    Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong()), size, bitrate, 44100,
                    (int) (size * 8 / (bitrate * 1000L)));
        }
        return out;
    }

    /** A query of one to three words. */
    String query(SplittableRandom r) {
        int n = 1 + r.nextInt(3);
        StringBuilder q = new StringBuilder();
        for (int i = 0; i < n; i++) {
            q.append(i == 0 ? "" : " ").append(word(r));
        }
        return q.toString();
    }

    private String artist(int i) {
        SplittableRandom r = new SplittableRandom(1_000_003L * i);
        return r.nextInt(3) == 0 ? words[pick(r)] : words[pick(r)] + " " + words[pick(r)];
    }

    private String word(SplittableRandom r) {
        return words[pick(r)];
    }

    private int pick(SplittableRandom r) {
        int i = Arrays.binarySearch(zipf, r.nextDouble());
        return Math.min(VOCABULARY - 1, i < 0 ? -i - 1 : i);
    }

    static String[] vocabulary(int n, SplittableRandom r) {
        String consonants = "bcdfghjklmnprstvwz";
        String vowels = "aeiou";
        Set<String> out = new LinkedHashSet<>();
        while (out.size() < n) {
            StringBuilder w = new StringBuilder();
            int syllables = 2 + r.nextInt(3);
            for (int i = 0; i < syllables; i++) {
                w.append(consonants.charAt(r.nextInt(consonants.length()))).append(vowels.charAt(r.nextInt(vowels.length())));
            }
            w.setCharAt(0, Character.toUpperCase(w.charAt(0)));
            out.add(w.toString());
        }
        return out.toArray(String[]::new);
    }

    static double[] zipfCdf(int n, double s) {
        double[] cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
        return cdf;
    }
}
