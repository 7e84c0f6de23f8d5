package org.p2plab.overcast.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import org.p2plab.overcast.protocol.TreeBuilder;
import org.p2plab.overcast.protocol.UpDown;

/**
 * The paper's tree-building experiment (Overcast, OSDI 2000, §5): Overcast nodes on routers of a
 * transit-stub graph, the root on a backbone router; nodes join one after another, each
 * starting under the root and running {@link TreeBuilder} rounds until it stays; then every node
 * re-evaluates until none moves. Each node runs the service's own {@link UpDown} and
 * {@link TreeBuilder}; what a node measures is the route's bottleneck bandwidth and hop count.
 * <p>
 * Reported as the paper did: the bandwidth the tree delivers to each node (the bottleneck of its
 * chain of overlay links from the root) as a fraction of what IP multicast would give it (the
 * bottleneck of the IP route from the root), and the network load (physical links crossed by one
 * copy of the data: every overlay link's route) over that of IP multicast (the links of the union
 * of the routes from the root). While the content flows, every overlay link is a flow: a physical
 * link that several overlay links cross splits its capacity among them, and an overlay link gets
 * the smallest such share on its route (IP multicast sends one copy per link, so it gets the
 * route's bottleneck). Both are reported: without sharing (each overlay link measured alone, as
 * the nodes' probes measure it and as the paper's figure compares) and with sharing (stricter).
 */
public final class OvercastTreeSimulation {

    /**
     * The outcome, and the same measures for a star (every node straight under the root: what
     * unicast from the root gives), the baseline the tree must beat.
     */
    public record Result(int nodes, double bandwidthFraction, double sharedBandwidthFraction, double networkLoadRatio, int maxDepth,
                         int rounds, int moves, double starBandwidthFraction, double starSharedBandwidthFraction,
                         double starNetworkLoadRatio) {
    }

    private record Measures(double bandwidthFraction, double sharedBandwidthFraction, double networkLoadRatio, int maxDepth) {
    }

    private final TransitStubTopology topology;
    private final Map<String, Integer> routerOf = new LinkedHashMap<>();
    private final Map<String, UpDown> nodes = new LinkedHashMap<>();
    private final Map<String, TreeBuilder> builders = new HashMap<>();
    private final String root = "root";
    private int rounds;
    private int moves;

    public OvercastTreeSimulation(TransitStubTopology topology, int overcastNodes, long seed) {
        this.topology = topology;
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> transitRouters = new ArrayList<>();
        List<Integer> all = new ArrayList<>();
        for (int r = 0; r < topology.routers(); r++) {
            all.add(r);
            if (topology.isTransit(r)) {
                transitRouters.add(r);
            }
        }
        routerOf.put(root, transitRouters.get(random.nextInt(transitRouters.size())));
        java.util.Collections.shuffle(all, new java.util.Random(seed));
        for (int i = 0; i < overcastNodes; i++) {
            routerOf.put("n" + i, all.get(i % all.size()));
        }
        nodes.put(root, new UpDown(root, null, Duration.ofSeconds(10)));
    }

    /** Every node joins in turn and settles; then rounds of re-evaluation until nobody moves (at most {@code maxPasses}). */
    public Result run(int maxPasses) {
        for (String n : routerOf.keySet()) {
            if (n.equals(root)) {
                continue;
            }
            UpDown u = new UpDown(n, root, Duration.ofSeconds(10));
            nodes.put(n, u);
            builders.put(n, new TreeBuilder(u, 0.1));
            settle(n);
        }
        for (int pass = 0; pass < maxPasses; pass++) {
            int before = moves;
            for (String n : builders.keySet()) {
                settle(n);
            }
            if (moves == before) {
                break;
            }
        }
        return result();
    }

    private void settle(String n) {
        TreeBuilder b = builders.get(n);
        for (int i = 0; i < 64; i++) {
            rounds++;
            TreeBuilder.Round r = b.round(view(n));
            if (!r.moved()) {
                return;
            }
            moves++;
        }
    }

    private TreeBuilder.View view(String self) {
        int me = routerOf.get(self);
        return new TreeBuilder.View() {
            @Override
            public double bandwidth(String node) {
                return topology.measuredBandwidth(routerOf.get(node), me);
            }

            @Override
            public int hops(String node) {
                return topology.hops(routerOf.get(node), me);
            }

            @Override
            public List<String> children(String node) {
                return childrenOf(node);
            }
        };
    }

    /** The tree as the nodes' parents say. */
    public List<String> childrenOf(String node) {
        List<String> out = new ArrayList<>();
        nodes.forEach((n, u) -> {
            if (node.equals(u.parent())) {
                out.add(n);
            }
        });
        return out;
    }

    public String parentOf(String node) {
        return nodes.get(node).parent();
    }

    private Result result() {
        Measures tree = measures(this::parentOf);
        Measures star = measures(n -> root);
        return new Result(builders.size(), tree.bandwidthFraction(), tree.sharedBandwidthFraction(), tree.networkLoadRatio(),
                tree.maxDepth(), rounds, moves, star.bandwidthFraction(), star.sharedBandwidthFraction(), star.networkLoadRatio());
    }

    private Measures measures(java.util.function.UnaryOperator<String> parentOf) {
        int rootRouter = routerOf.get(root);
        // how many overlay links cross each physical link
        Map<Long, Integer> share = new HashMap<>();
        for (String n : builders.keySet()) {
            int a = routerOf.get(parentOf.apply(n));
            int b = routerOf.get(n);
            if (a != b) {
                for (long link : topology.links(a, b)) {
                    share.merge(link, 1, Integer::sum);
                }
            }
        }
        double tree = 0;
        double treeShared = 0;
        double ip = 0;
        long overlayLinks = 0;
        Set<Long> ipLinks = new HashSet<>();
        int maxDepth = 0;
        for (String n : builders.keySet()) {
            int router = routerOf.get(n);
            double direct = router == rootRouter ? Double.NaN : topology.bandwidth(rootRouter, router);
            double viaTree = Double.POSITIVE_INFINITY;
            double viaTreeShared = Double.POSITIVE_INFINITY;
            int depth = 0;
            for (String at = n; !at.equals(root); at = parentOf.apply(at)) {
                int a = routerOf.get(parentOf.apply(at));
                int b = routerOf.get(at);
                if (a != b) {
                    viaTree = Math.min(viaTree, topology.bandwidth(a, b));
                    viaTreeShared = Math.min(viaTreeShared, topology.bandwidth(a, b, share));
                }
                depth++;
            }
            maxDepth = Math.max(maxDepth, depth);
            if (!Double.isNaN(direct)) {
                tree += viaTree;
                treeShared += viaTreeShared;
                ip += direct;
            }
            overlayLinks += topology.hops(routerOf.get(parentOf.apply(n)), router);
            ipLinks.addAll(topology.links(rootRouter, router));
        }
        return new Measures(tree / ip, treeShared / ip, ipLinks.isEmpty() ? 1 : overlayLinks / (double) ipLinks.size(), maxDepth);
    }
}
