package org.p2plab.publius.protocol;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A share's name, {@code name_i = wrap(H(M . share_i))}: the directory a server keeps the piece
 * in, and (through {@link #location}) which server that is. H is SHA-256 (the paper used MD5);
 * {@code wrap} folds the hash to 64 bits by XOR-ing its four 64-bit words (the paper folded
 * MD5's two halves). Written as 16 lower-case hex digits, safe as a directory name on any file
 * system, case-insensitive ones included.
 *
 * @param value the 64 bits, read as an unsigned number by {@link #location}
 */
public record PubliusName(long value) {

    private static final Pattern HEX16 = Pattern.compile("[0-9a-f]{16}");
    private static final HexFormat HEX = HexFormat.of();

    /** {@code wrap(H(M . share))}, given H already fed with M (the digest is cloned, not changed). */
    public static PubliusName of(MessageDigest hashOfContent, Share share) {
        MessageDigest h;
        try {
            h = (MessageDigest) hashOfContent.clone();
        }
        catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 digests are cloneable on every JDK", e);
        }
        h.update(share.bytes());
        return new PubliusName(wrap(h.digest()));
    }

    /** {@code wrap(H(M . share))} from the content itself. */
    public static PubliusName of(byte[] content, Share share) {
        return of(PubliusCrypto.sha256Of(content), share);
    }

    static long wrap(byte[] hash) {
        long folded = 0;
        for (int i = 0; i < hash.length; i += 8) {
            long word = 0;
            for (int j = 0; j < 8; j++) {
                word = (word << 8) | (hash[i + j] & 0xff);
            }
            folded ^= word;
        }
        return folded;
    }

    /** Parses 16 lower-case hex digits; anything else is an {@link IllegalArgumentException}. */
    public static PubliusName parse(String hex) {
        if (hex == null || !HEX16.matcher(hex).matches()) {
            throw new IllegalArgumentException("a Publius name is 16 lower-case hex digits, got: "
                    + (hex == null ? "nothing" : abbreviate(hex)));
        }
        return new PubliusName(Long.parseUnsignedLong(hex, 16));
    }

    public static boolean isValid(String hex) {
        return hex != null && HEX16.matcher(hex).matches();
    }

    /** {@code location = (name mod m) + 1}: the 1-based index into the list of m servers. */
    public int location(int m) {
        if (m < 1) {
            throw new IllegalArgumentException("m must be at least 1");
        }
        return (int) Long.remainderUnsigned(value, m) + 1;
    }

    public String hex() {
        return HEX.toHexDigits(value);
    }

    @Override
    public String toString() {
        return hex();
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "…' (" + s.length() + " characters)";
    }
}
