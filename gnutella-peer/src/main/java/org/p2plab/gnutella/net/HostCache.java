package org.p2plab.gnutella.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hosts this servent has heard of: from Pongs (with the files and kilobytes they share) and from
 * {@code X-Try-Ultrapeers} headers. Bounded, most recently heard last; the oldest is forgotten
 * first. The connection keeper picks new neighbours from here, and the freeloader rule looks up
 * how much a downloader shares.
 */
public final class HostCache {

    /** A host: where it listens, what it shares (-1: not known), when it was last heard of. */
    public record Host(String ip, int port, long files, long kilobytes, long lastSeen, String source) {

        public String address() {
            return ip + ":" + port;
        }
    }

    private final int capacity;
    private final Map<String, Host> hosts = new LinkedHashMap<>(16, 0.75f, false);

    public HostCache(int capacity) {
        this.capacity = capacity;
    }

    /** A host heard of now; a Pong's counts replace what a header said. */
    public synchronized void heard(String ip, int port, long files, long kilobytes, String source, long now) {
        if (port <= 0 || port > 65535 || ip == null || ip.equals("0.0.0.0")) {
            return;
        }
        String key = ip + ":" + port;
        Host old = hosts.remove(key);
        if (old != null && files < 0) {
            files = old.files();
            kilobytes = old.kilobytes();
        }
        hosts.put(key, new Host(ip, port, files, kilobytes, now, source));
        if (hosts.size() > capacity) {
            hosts.remove(hosts.keySet().iterator().next());
        }
    }

    public synchronized Host get(String address) {
        return hosts.get(address);
    }

    public synchronized void forget(String address) {
        hosts.remove(address);
    }

    /** Newest first. */
    public synchronized List<Host> all() {
        List<Host> out = new ArrayList<>(hosts.values());
        java.util.Collections.reverse(out);
        return out;
    }

    public synchronized int size() {
        return hosts.size();
    }
}
