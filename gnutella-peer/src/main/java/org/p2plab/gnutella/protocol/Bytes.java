package org.p2plab.gnutella.protocol;

/** Little- and big-endian fields, and IPv4 addresses (network order on the wire). */
public final class Bytes {

    private Bytes() {
    }

    public static void putShortLe(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    public static void putIntLe(byte[] b, int off, long v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    public static int shortLe(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    public static int shortBe(byte[] b, int off) {
        return (b[off] & 0xFF) << 8 | (b[off + 1] & 0xFF);
    }

    /** An unsigned 32-bit little-endian value. */
    public static long intLe(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }

    /** {@code a.b.c.d} from the 4 bytes at {@code off} (network order). */
    public static String ip(byte[] b, int off) {
        return (b[off] & 0xFF) + "." + (b[off + 1] & 0xFF) + "." + (b[off + 2] & 0xFF) + "." + (b[off + 3] & 0xFF);
    }

    /** Writes {@code a.b.c.d} as 4 bytes in network order. */
    public static void putIp(byte[] b, int off, String dotted) {
        int[] o = org.p2plab.overlay.Ipv4.octets(dotted);
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) o[i];
        }
    }
}
