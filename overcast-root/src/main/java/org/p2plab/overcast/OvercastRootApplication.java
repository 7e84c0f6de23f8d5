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

    static final String LAB_NODE = "--p2plab.overcast.lab-node=";
    static final String LAB_PORTS = "--p2plab.overcast.lab-ports=";

    public static void main(String[] args) {
        NodeHost.run(OvercastRootApplication.class, withLabNode(args), OvercastRootApplication::labNode);
    }

    /** {@code args}, plus node i's lab role when {@code --p2plab.overcast.lab-node=i --p2plab.overcast.lab-ports=...} are given. */
    static String[] withLabNode(String[] args) {
        String node = null;
        String ports = null;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith(LAB_NODE)) {
                node = a.substring(LAB_NODE.length());
            }
            else if (a.startsWith(LAB_PORTS)) {
                ports = a.substring(LAB_PORTS.length());
            }
            else {
                rest.add(a);
            }
        }
        if (node == null || ports == null) {
            return args;
        }
        List<Integer> all = java.util.Arrays.stream(ports.split(",")).map(p -> Integer.parseInt(p.strip())).toList();
        String host = rest.stream().filter(a -> a.startsWith("--server.address=")).map(a -> a.substring("--server.address=".length()))
                .reduce((a, b) -> b).orElse("127.0.0.1");
        List<String> out = new ArrayList<>(rest);
        out.addAll(labNode(Integer.parseInt(node.strip()), all, host));
        return out.toArray(String[]::new);
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
