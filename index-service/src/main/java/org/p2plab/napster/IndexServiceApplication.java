package org.p2plab.napster;

import java.util.ArrayList;
import java.util.List;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A Napster index server, a sharing peer, or both ({@code p2plab.napster.role}).
 * <p>
 * {@code --p2plab.lab.ports=8081,8181,...} runs the lab's Napster in this JVM: node 0 the index,
 * node i a sharing peer {@code peer<i>} that logs in to it ({@code p2plab.napster.server}, given
 * to every node), with the link speeds of {@link #LAB_SPEEDS} (cycling); every third peer is
 * firewalled, so that the lab has pushes to show. {@code ./lab.sh} does this; with
 * {@code --jvm-per-node} each node gets {@code --p2plab.napster.lab-node=i} and
 * {@code --p2plab.napster.lab-ports=...} instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IndexServiceApplication {

    /** The lab peers' link speeds, peer 1's first (cycling): cable, 33.6k modem, DSL. */
    public static final List<Integer> LAB_SPEEDS = List.of(7, 3, 8);

    public static void main(String[] args) {
        NodeHost.run(IndexServiceApplication.class, NodeHost.withLabNode(args, "napster", IndexServiceApplication::labNode),
                IndexServiceApplication::labNode);
    }

    /** Node {@code i}'s role in the lab (see the class comment). */
    public static List<String> labNode(int i, List<Integer> ports, String host) {
        List<String> a = new ArrayList<>();
        if (i == 0) {
            a.add("--p2plab.napster.role=index");
        }
        else {
            a.add("--p2plab.napster.role=peer");
            a.add("--p2plab.napster.peer.nick=peer" + i);
            a.add("--p2plab.napster.peer.data-port=0");
            a.add("--p2plab.napster.peer.link-speed=" + LAB_SPEEDS.get((i - 1) % LAB_SPEEDS.size()));
            a.add("--p2plab.napster.peer.firewalled=" + (i % 3 == 0));
        }
        return a;
    }
}
