package org.p2plab.gnutella;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Gnutella 0.6 servent: REST on its HTTP port (8082), the Gnutella protocol and HTTP file
 * transfer on its Gnutella port (6346).
 * <p>
 * {@code --p2plab.lab.ports=8082,8182,...} runs the lab's Gnutella network in this JVM (see
 * {@link #labNode}); {@code ./lab.sh} does this; with {@code --jvm-per-node} each node gets
 * {@code --p2plab.gnutella.lab-node=i} and {@code --p2plab.gnutella.lab-ports=...} instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GnutellaPeerApplication {

    public static void main(String[] args) {
        NodeHost.run(GnutellaPeerApplication.class, NodeHost.withLabNode(args, "gnutella", GnutellaPeerApplication::labNode),
                GnutellaPeerApplication::labNode);
    }

    /**
     * Node {@code i} of a lab of {@code n = ports.size()} servents: the last two (of four or more)
     * are leaves, the others ultrapeers; ultrapeer {@code i} connects to ultrapeers {@code i-1}
     * and {@code i-2} (a mesh of triangles, each ultrapeer three hops at most from most others),
     * each leaf to two ultrapeers; the first leaf is firewalled (its hits ask for a push). Its
     * Gnutella port is {@code lab-wire-port + 100 i}.
     */
    public static List<String> labNode(int i, List<Integer> ports, String host) {
        int n = ports.size();
        int ultrapeers = ultrapeers(n);
        List<String> a = new ArrayList<>();
        a.add("--p2plab.gnutella.lab-index=" + i);
        StringJoiner peers = new StringJoiner(",");
        if (i < ultrapeers) {
            a.add("--p2plab.gnutella.ultrapeer=true");
            for (int j = Math.max(0, i - 2); j < i; j++) {
                peers.add(Integer.toString(j));
            }
        }
        else {
            a.add("--p2plab.gnutella.ultrapeer=false");
            int leaf = i - ultrapeers;
            if (leaf == 0 && n >= 4) {
                a.add("--p2plab.gnutella.firewalled=true"); // its files come through a push and a GIV
            }
            peers.add(Integer.toString(leaf % ultrapeers));
            if (ultrapeers > 1) {
                peers.add(Integer.toString((leaf + 1) % ultrapeers));
            }
        }
        if (peers.length() > 0) {
            a.add("--p2plab.gnutella.lab-peers=" + peers);
        }
        return a;
    }

    /** How many of a lab's {@code n} servents are ultrapeers: all but two leaves once there are four. */
    public static int ultrapeers(int n) {
        return n >= 4 ? n - 2 : n;
    }
}
