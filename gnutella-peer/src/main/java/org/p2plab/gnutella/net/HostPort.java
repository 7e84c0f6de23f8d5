package org.p2plab.gnutella.net;

/** {@code host:port}, as peers, Listen-IP, X-Try-Ultrapeers and X-Node give an address. */
record HostPort(String host, int port) {

    /** {@code s} split at its last colon; null unless it has a host and a port 1..65535. */
    static HostPort parse(String s) {
        if (s == null) {
            return null;
        }
        String v = s.strip();
        int colon = v.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            int port = Integer.parseInt(v.substring(colon + 1).strip());
            return port >= 1 && port <= 65535 ? new HostPort(v.substring(0, colon).strip(), port) : null;
        }
        catch (NumberFormatException e) {
            return null;
        }
    }

    /** Like {@link #parse}, and only when the host is an IPv4 address (what Gnutella's messages carry). */
    static HostPort ipv4(String s) {
        HostPort h = parse(s);
        return h != null && org.p2plab.overlay.Ipv4.octets(h.host()) != null ? h : null;
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
