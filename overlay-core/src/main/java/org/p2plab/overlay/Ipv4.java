package org.p2plab.overlay;

/** Dotted IPv4 addresses, checked: the wire formats that carry them as 4 bytes or a number. */
public final class Ipv4 {

    private Ipv4() {
    }

    /** The four octets of {@code a.b.c.d}, in order; an IllegalArgumentException if it is not one. */
    public static int[] octets(String dotted) {
        String[] p = dotted == null ? new String[0] : dotted.split("\\.", -1);
        if (p.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            try {
                out[i] = Integer.parseInt(p[i]);
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            if (out[i] < 0 || out[i] > 255 || p[i].isEmpty() || p[i].length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
        }
        return out;
    }
}
