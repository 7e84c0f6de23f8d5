package org.p2plab.support.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs one node of a service, or several nodes of it in this JVM. Every p2plab service's
 * {@code main} goes through here: with {@code --p2plab.lab.ports=8086,8186,8286} it starts one
 * Spring application context per port, one after the other, each a complete node (own web
 * server, own beans, own meter registry, own data directory when the service keys it by port),
 * and passes node {@code i} the arguments {@link PerNodeArguments} gives it (typically "join
 * through node 0"). Without that argument it is a plain {@code SpringApplication.run}.
 *
 * <p>Why: the local lab starts a peer-to-peer system as several nodes; one JVM per system
 * instead of one per node loads the classes and warms the JIT once, which on a 2-core laptop
 * makes the lab start several times faster and use far less memory (measured in
 * {@code docs/lab.md}). The nodes still talk to each other only over HTTP on loopback.
 */
public final class NodeHost {

    /** The argument that turns on several nodes: a comma-separated list of ports, node 0 first. */
    public static final String PORTS_ARGUMENT = "--p2plab.lab.ports=";

    /** What node {@code index} gets on top of the shared arguments, given every node's port. */
    @FunctionalInterface
    public interface PerNodeArguments {
        List<String> arguments(int index, List<Integer> ports, String host);
    }

    private NodeHost() {
    }

    /**
     * Starts the node(s) and returns their contexts. A node that fails to start closes those
     * already started and rethrows, so a lab never runs half a system.
     */
    public static List<ConfigurableApplicationContext> run(Class<?> application, String[] args,
                                                           PerNodeArguments perNode) {
        List<Integer> ports = ports(args);
        if (ports.isEmpty()) {
            return List.of(SpringApplication.run(application, args));
        }
        List<String> shared = Arrays.stream(args).filter(a -> !a.startsWith(PORTS_ARGUMENT)
                && !a.startsWith("--server.port=")).toList();
        String host = shared.stream().filter(a -> a.startsWith("--server.address="))
                .map(a -> a.substring("--server.address=".length())).reduce((a, b) -> b).orElse("127.0.0.1");
        List<ConfigurableApplicationContext> started = new ArrayList<>();
        try {
            for (int i = 0; i < ports.size(); i++) {
                List<String> nodeArgs = new ArrayList<>(shared);
                nodeArgs.add("--server.port=" + ports.get(i));
                nodeArgs.add("--p2plab.lab.node-index=" + i);
                nodeArgs.addAll(perNode.arguments(i, ports, host));
                started.add(new SpringApplicationBuilder(application)
                        // one process, several nodes: each keeps its own registry, none shares the global one
                        .properties("management.metrics.use-global-registry=false")
                        .run(nodeArgs.toArray(String[]::new)));
            }
        }
        catch (RuntimeException e) {
            started.reversed().forEach(ConfigurableApplicationContext::close);
            throw e;
        }
        return List.copyOf(started);
    }

    /**
     * One process per node ({@code ./lab.sh --jvm-per-node}) for a system whose nodes differ by
     * role: given {@code --p2plab.<system>.lab-node=i} and {@code --p2plab.<system>.lab-ports=...}
     * (every node's port, node 0 first), the other arguments plus what {@code perNode} gives node
     * i, as {@link #run} would in one JVM; without them, {@code args} unchanged.
     */
    public static String[] withLabNode(String[] args, String system, PerNodeArguments perNode) {
        String nodeArgument = "--p2plab." + system + ".lab-node=";
        String portsArgument = "--p2plab." + system + ".lab-ports=";
        String node = null;
        String ports = null;
        List<String> rest = new ArrayList<>();
        for (String a : args) {
            if (a.startsWith(nodeArgument)) {
                node = a.substring(nodeArgument.length());
            }
            else if (a.startsWith(portsArgument)) {
                ports = a.substring(portsArgument.length());
            }
            else {
                rest.add(a);
            }
        }
        if (node == null || ports == null) {
            return args;
        }
        List<Integer> all = ports(new String[] {PORTS_ARGUMENT + ports});
        String host = rest.stream().filter(a -> a.startsWith("--server.address=")).map(a -> a.substring("--server.address=".length()))
                .reduce((a, b) -> b).orElse("127.0.0.1");
        int i;
        try {
            i = Integer.parseInt(node.strip());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(nodeArgument.substring(2) + " '" + node + "' is not a node index");
        }
        if (i < 0 || i >= all.size()) {
            throw new IllegalArgumentException(nodeArgument.substring(2) + i + " is not one of the " + all.size() + " ports");
        }
        rest.addAll(perNode.arguments(i, all, host));
        return rest.toArray(String[]::new);
    }

    /** The ports of {@code --p2plab.lab.ports}, empty without it. */
    static List<Integer> ports(String[] args) {
        String value = null;
        for (String a : args) {
            if (a.startsWith(PORTS_ARGUMENT)) {
                value = a.substring(PORTS_ARGUMENT.length());
            }
        }
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : value.split(",")) {
            int port;
            try {
                port = Integer.parseInt(p.strip());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("p2plab.lab.ports: '" + p.strip() + "' is not a port number");
            }
            if (port < 1 || port > 65535 || ports.contains(port)) {
                throw new IllegalArgumentException("p2plab.lab.ports: " + port + " is out of range or listed twice");
            }
            ports.add(port);
        }
        return ports;
    }
}
