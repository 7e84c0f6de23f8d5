package org.p2plab.napster.protocol;

/**
 * The IPv4 address as Napster sends it (201, 204, 213, 501): the decimal value of the four
 * address bytes, in network order, read as a little-endian u32, so 127.0.0.1 is 16777343 (the
 * value of the in_addr as a little-endian PC stored it).
 */
public final class NapsterIp {

    private NapsterIp() {
    }

    /** {@code a.b.c.d} to its Napster number. */
    public static long encode(String dotted) {
        int[] o = org.p2plab.overlay.Ipv4.octets(dotted);
        return o[0] | (long) o[1] << 8 | (long) o[2] << 16 | (long) o[3] << 24;
    }

    /** A Napster number to {@code a.b.c.d}. */
    public static String decode(long v) {
        if (v < 0 || v > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a u32: " + v);
        }
        return (v & 0xFF) + "." + (v >>> 8 & 0xFF) + "." + (v >>> 16 & 0xFF) + "." + (v >>> 24 & 0xFF);
    }
}
