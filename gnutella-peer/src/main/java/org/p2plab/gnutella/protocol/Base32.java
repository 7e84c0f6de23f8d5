package org.p2plab.gnutella.protocol;

/** RFC 4648 base32 (upper case, no padding): the alphabet of HUGE's {@code urn:sha1:}. */
public final class Base32 {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Base32() {
    }

    public static String encode(byte[] data) {
        StringBuilder b = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte x : data) {
            buffer = (buffer << 8) | (x & 0xFF);
            bits += 8;
            while (bits >= 5) {
                b.append(ALPHABET[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            b.append(ALPHABET[(buffer << (5 - bits)) & 31]);
        }
        return b.toString();
    }

    /** True if {@code s} is a 32-character base32 SHA-1. */
    public static boolean isSha1(String s) {
        return s != null && s.length() == 32 && s.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'));
    }
}
