package org.p2plab.gnutella.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A 16-byte Gnutella GUID: a message's id (the query's, which its hits carry back), or a
 * servent's identifier (in query hits and pushes). New ones follow the 0.6 draft: random, byte 8
 * 0xFF ("a modern servent"), byte 15 0x00 (reserved).
 */
public final class Guid {

    public static final int LENGTH = 16;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;
    private final int hash;

    private Guid(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /** A copy of {@code b[off..off+16)}. */
    public static Guid of(byte[] b, int off) {
        if (off < 0 || off + LENGTH > b.length) {
            throw new IllegalArgumentException("a GUID is 16 bytes");
        }
        return new Guid(Arrays.copyOfRange(b, off, off + LENGTH));
    }

    public static Guid random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        b[8] = (byte) 0xFF;
        b[15] = 0;
        return new Guid(b);
    }

    /** From 32 hex digits (either case). */
    public static Guid parse(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a GUID is 32 hex digits");
        }
        return new Guid(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
    }

    public void writeTo(byte[] out, int off) {
        System.arraycopy(bytes, 0, out, off, LENGTH);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** 32 lower-case hex digits. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Guid g && Arrays.equals(bytes, g.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return hex();
    }
}
