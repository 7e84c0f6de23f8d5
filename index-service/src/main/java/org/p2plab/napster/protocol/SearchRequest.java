package org.p2plab.napster.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A search (200): the words every hit must have, how many hits at most, and the filters on the
 * file's bitrate, frequency, size and duration and on the sharer's link speed.
 *
 * @param text       the words as given (all of them required; one-letter words are ignored)
 * @param maxResults hits wanted (the server caps it)
 * @param bitrate    null: any
 * @param frequency  null: any
 * @param linkSpeed  the sharer's; null: any
 * @param size       bytes; null: any (an OpenNap extension)
 * @param duration   seconds; null: any (an OpenNap extension)
 */
public record SearchRequest(String text, int maxResults, Range bitrate, Range frequency, Range linkSpeed,
                            Range size, Range duration) {

    /** Napster's comparison words. */
    public enum Op {
        AT_LEAST("AT LEAST"), AT_BEST("AT BEST"), EQUAL_TO("EQUAL TO");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        static Op ofWire(String s) {
            for (Op op : values()) {
                if (op.wire.equalsIgnoreCase(s)) {
                    return op;
                }
            }
            return null;
        }
    }

    /**
     * The values one attribute may have, {@code min..max} inclusive: {@code AT LEAST v} is
     * {@code v..MAX}, {@code AT BEST v} is {@code 0..v}, {@code EQUAL TO v} is {@code v..v}. (REST
     * may give both ends; Napster has one comparison per attribute.)
     */
    public record Range(long min, long max) {

        public Range {
            if (min < 0 || max < min) {
                throw new IllegalArgumentException("a filter is min..max with 0 <= min <= max, got " + min + ".." + max);
            }
        }

        public static Range of(Op op, long v) {
            return switch (op) {
                case AT_LEAST -> new Range(v, Long.MAX_VALUE);
                case AT_BEST -> new Range(0, v);
                case EQUAL_TO -> new Range(v, v);
            };
        }

        public boolean test(long v) {
            return v >= min && v <= max;
        }

        /** This range as Napster comparisons (two when it has both ends). */
        List<String> toWire() {
            if (min == max) {
                return List.of(Fields.quote(Op.EQUAL_TO.wire()) + " " + min);
            }
            List<String> out = new ArrayList<>();
            if (min > 0) {
                out.add(Fields.quote(Op.AT_LEAST.wire()) + " " + min);
            }
            if (max < Long.MAX_VALUE) {
                out.add(Fields.quote(Op.AT_BEST.wire()) + " " + max);
            }
            return out;
        }
    }

    public SearchRequest {
        text = text == null ? "" : text.strip();
        if (maxResults < 0) {
            throw new IllegalArgumentException("MAX_RESULTS is >= 0");
        }
    }

    /** The words every hit must have (a word written {@code -word} is excluded instead, as OpenNap reads it). */
    public Set<String> words() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String token : text.split("\\s+")) {
            if (!token.startsWith("-")) {
                out.addAll(Words.ofQuery(token));
            }
        }
        return out;
    }

    /** The words no hit may have: those written {@code -word}. */
    public Set<String> excluded() {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String token : text.split("\\s+")) {
            if (token.startsWith("-")) {
                out.addAll(Words.ofQuery(token.substring(1)));
            }
        }
        return out;
    }

    /** Whether {@code file}, shared by someone on {@code sharerLinkSpeed}, passes the filters. */
    public boolean accepts(SharedFile file, int sharerLinkSpeed) {
        return (bitrate == null || bitrate.test(file.bitrate()))
                && (frequency == null || frequency.test(file.frequency()))
                && (linkSpeed == null || linkSpeed.test(sharerLinkSpeed))
                && (size == null || size.test(file.size()))
                && (duration == null || duration.test(file.length()));
    }

    /**
     * Parses a 200 payload. Clients put the parts in any order ({@code FILENAME CONTAINS "w"
     * MAX_RESULTS n} and {@code MAX_RESULTS n FILENAME CONTAINS "w"} both occur) and some send
     * {@code FILENAME CONTAINS} twice (artist, title): the words add up. A comparison is one
     * quoted field ({@code "AT LEAST"}) or two bare ones. {@code WMA-FILE}, {@code LOCAL_ONLY}
     * and {@code TYPE x} are accepted and have no effect here (every share is local, and the
     * index has no file types).
     */
    public static SearchRequest parse(String payload, int defaultMax) {
        List<String> f = Fields.split(payload);
        StringBuilder text = new StringBuilder();
        int max = defaultMax;
        Range bitrate = null;
        Range freq = null;
        Range speed = null;
        Range size = null;
        Range duration = null;
        int[] at = {0};
        while (at[0] < f.size()) {
            String key = f.get(at[0]++).toUpperCase(Locale.ROOT);
            switch (key) {
                case "FILENAME" -> {
                    String contains = next(f, at, "CONTAINS");
                    if (!contains.equalsIgnoreCase("CONTAINS")) {
                        throw new MalformedFrameException("FILENAME is followed by CONTAINS");
                    }
                    text.append(text.isEmpty() ? "" : " ").append(next(f, at, "the FILENAME CONTAINS words"));
                }
                case "MAX_RESULTS" -> max = (int) number(next(f, at, "the MAX_RESULTS value"), "MAX_RESULTS", Integer.MAX_VALUE);
                case "BITRATE" -> bitrate = compare(f, at, key);
                case "FREQ" -> freq = compare(f, at, key);
                case "LINESPEED" -> speed = compare(f, at, key);
                case "SIZE" -> size = compare(f, at, key);
                case "DURATION" -> duration = compare(f, at, key);
                case "WMA-FILE", "LOCAL_ONLY" -> {
                }
                case "TYPE" -> next(f, at, "the TYPE value");
                default -> throw new MalformedFrameException("unknown search keyword " + Fields.abbreviate(key));
            }
        }
        return new SearchRequest(text.toString(), max, bitrate, freq, speed, size, duration);
    }

    private static Range compare(List<String> f, int[] at, String key) {
        String w = next(f, at, "the " + key + " comparison");
        Op op = Op.ofWire(w);
        if (op == null && at[0] < f.size()) {
            op = Op.ofWire(w + " " + f.get(at[0]));
            if (op != null) {
                at[0]++;
            }
        }
        if (op == null) {
            throw new MalformedFrameException(key + " is followed by \"AT LEAST\", \"AT BEST\" or \"EQUAL TO\"");
        }
        return Range.of(op, number(next(f, at, "the " + key + " value"), key, Long.MAX_VALUE));
    }

    private static String next(List<String> f, int[] at, String what) {
        if (at[0] >= f.size()) {
            throw new MalformedFrameException("missing " + what);
        }
        return f.get(at[0]++);
    }

    private static long number(String s, String what, long max) {
        try {
            long v = Long.parseLong(s);
            if (v < 0 || v > max) {
                throw new MalformedFrameException(what + " is out of range: " + v);
            }
            return v;
        }
        catch (NumberFormatException e) {
            throw new MalformedFrameException(what + " is not a number: " + Fields.abbreviate(s));
        }
    }

    /** This search as a 200 payload (a client's). */
    public String toPayload() {
        List<String> parts = new ArrayList<>();
        parts.add("FILENAME CONTAINS " + Fields.quote(text));
        parts.add("MAX_RESULTS " + maxResults);
        add(parts, "LINESPEED", linkSpeed);
        add(parts, "BITRATE", bitrate);
        add(parts, "FREQ", frequency);
        add(parts, "SIZE", size);
        add(parts, "DURATION", duration);
        return String.join(" ", parts);
    }

    private static void add(List<String> parts, String key, Range r) {
        if (r != null) {
            for (String c : r.toWire()) {
                parts.add(key + " " + c);
            }
        }
    }
}
