package org.p2plab.overcast;

import java.util.ArrayList;
import java.util.List;

import org.p2plab.support.lab.NodeHost;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * An Overcast root or node ({@code p2plab.overcast.role}).
 * <p>
 * {@code --p2plab.lab.ports=8085,8185,...,8685} runs the lab's Overcast tree in this JVM: node 0
 * the root, every other node a node that boots from it, with the serving rates of
 * {@link #LAB_RATES} (cycling), so that the tree has fast and slow nodes to place. {@code ./lab.sh}
 * does this; with {@code --jvm-per-node} each node gets {@code --p2plab.overcast.lab-node=i} and
 * {@code --p2plab.overcast.lab-ports=...} instead.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class OvercastRootApplication {

    /** The lab's serving rates: the root's, then node 1's, 2's, ... (cycling over the nodes). */
    public static final List<String> LAB_RATES = List.of("2MB", "4MB", "256KB", "4MB", "256KB", "1MB", "256KB");

    public static void main(String[] args) {
        NodeHost.run(OvercastRootApplication.class, NodeHost.withLabNode(args, "overcast", OvercastRootApplication::labNode),
                OvercastRootApplication::labNode);
    }

    /** Node {@code i}'s role in the lab (see the class comment). */
    public static List<String> labNode(int i, List<Integer> ports, String host) {
        List<String> a = new ArrayList<>();
        a.add("--p2plab.overcast.serving-rate=" + LAB_RATES.get(i == 0 ? 0 : 1 + (i - 1) % (LAB_RATES.size() - 1)));
        if (i == 0) {
            a.add("--p2plab.overcast.role=root");
        }
        else {
            a.add("--p2plab.overcast.role=node");
            a.add("--p2plab.overcast.root=http://" + host + ":" + ports.get(0));
        }
        return a;
    }
}
