package org.p2plab.overcast.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A transit-stub router graph in the style of GT-ITM, which the Overcast paper used: transit
 * domains of backbone routers joined to each other, and stub domains hanging off each transit
 * router, with link bandwidths by kind. Routes are shortest paths by hop count (BFS, ties by
 * the lower router number), as IP routes them.
 */
public final class TransitStubTopology {

    /**
     * The shape and the link bandwidths (bytes per second): each link gets its kind's bandwidth
     * times a factor drawn uniformly from [1 − variation, 1 + variation], so that routes differ.
     */
    public record Params(int transitDomains, int routersPerTransit, int stubsPerTransitRouter, int routersPerStub,
                         double transitBandwidth, double transitStubBandwidth, double stubBandwidth, double extraEdgeProbability,
                         double variation) {

        /**
         * About 600 routers: 4 transit domains of 5 routers, 3 stubs of 10 routers on each; 45 Mbit/s
         * in the backbone, 10 Mbit/s from a stub up to it, 100 Mbit/s inside a stub; ±50% per link.
         */
        public static Params paperLike() {
            return new Params(4, 5, 3, 10, 45e6 / 8, 10e6 / 8, 100e6 / 8, 0.1, 0.5);
        }
    }

    private final int routers;
    private final List<int[]> adjacency = new ArrayList<>();
    private final List<double[]> bandwidth = new ArrayList<>();
    private final boolean[] transit;
    private final int[][] nextHopCache;

    public TransitStubTopology(Params p, RandomGenerator random) {
        int transitCount = p.transitDomains() * p.routersPerTransit();
        int stubCount = transitCount * p.stubsPerTransitRouter() * p.routersPerStub();
        routers = transitCount + stubCount;
        transit = new boolean[routers];
        List<List<int[]>> edges = new ArrayList<>();
        for (int i = 0; i < routers; i++) {
            edges.add(new ArrayList<>());
        }
        // transit domains: a ring each, plus random chords; domains joined in a ring and at random
        for (int d = 0; d < p.transitDomains(); d++) {
            int base = d * p.routersPerTransit();
            for (int i = 0; i < p.routersPerTransit(); i++) {
                transit[base + i] = true;
                connect(edges, base + i, base + (i + 1) % p.routersPerTransit(), p.routersPerTransit() > 1);
                for (int j = i + 2; j < p.routersPerTransit(); j++) {
                    if (random.nextDouble() < p.extraEdgeProbability() * 3) {
                        connect(edges, base + i, base + j, true);
                    }
                }
            }
            int next = ((d + 1) % p.transitDomains()) * p.routersPerTransit();
            if (p.transitDomains() > 1) {
                connect(edges, base + random.nextInt(p.routersPerTransit()), next + random.nextInt(p.routersPerTransit()), true);
            }
        }
        // stub domains: a random tree each plus random extra edges; one of its routers links to its transit router
        int r = transitCount;
        for (int t = 0; t < transitCount; t++) {
            for (int s = 0; s < p.stubsPerTransitRouter(); s++) {
                int base = r;
                for (int i = 1; i < p.routersPerStub(); i++) {
                    connect(edges, base + i, base + random.nextInt(i), true);
                }
                for (int i = 0; i < p.routersPerStub(); i++) {
                    for (int j = i + 1; j < p.routersPerStub(); j++) {
                        if (random.nextDouble() < p.extraEdgeProbability()) {
                            connect(edges, base + i, base + j, true);
                        }
                    }
                }
                connect(edges, t, base + random.nextInt(p.routersPerStub()), true);
                r += p.routersPerStub();
            }
        }
        java.util.Map<Long, Double> drawn = new java.util.HashMap<>();
        for (int i = 0; i < routers; i++) {
            List<int[]> e = edges.get(i);
            int[] adj = new int[e.size()];
            double[] bw = new double[e.size()];
            for (int k = 0; k < e.size(); k++) {
                int j = e.get(k)[0];
                adj[k] = j;
                double kind = transit[i] && transit[j] ? p.transitBandwidth()
                        : transit[i] || transit[j] ? p.transitStubBandwidth() : p.stubBandwidth();
                long key = (long) Math.min(i, j) * routers + Math.max(i, j);
                bw[k] = drawn.computeIfAbsent(key, x -> kind * (1 - p.variation() + 2 * p.variation() * random.nextDouble()));
            }
            adjacency.add(adj);
            bandwidth.add(bw);
        }
        nextHopCache = new int[routers][];
    }

    private static void connect(List<List<int[]>> edges, int a, int b, boolean really) {
        if (!really || a == b || edges.get(a).stream().anyMatch(e -> e[0] == b)) {
            return;
        }
        edges.get(a).add(new int[] {b});
        edges.get(b).add(new int[] {a});
    }

    public int routers() {
        return routers;
    }

    public boolean isTransit(int router) {
        return transit[router];
    }

    /** BFS parents from {@code source}: parent[x] is the router before x on the route from source. */
    private int[] tree(int source) {
        int[] t = nextHopCache[source];
        if (t != null) {
            return t;
        }
        t = new int[routers];
        Arrays.fill(t, -2);
        t[source] = -1;
        ArrayDeque<Integer> q = new ArrayDeque<>(List.of(source));
        while (!q.isEmpty()) {
            int x = q.poll();
            int[] adj = adjacency.get(x);
            int[] order = adj.clone();
            Arrays.sort(order);
            for (int y : order) {
                if (t[y] == -2) {
                    t[y] = x;
                    q.add(y);
                }
            }
        }
        nextHopCache[source] = t;
        return t;
    }

    /** The routers on the route from {@code a} to {@code b}, both included. */
    public List<Integer> path(int a, int b) {
        int[] t = tree(a);
        if (t[b] == -2) {
            throw new IllegalStateException("router " + b + " is not reachable from " + a);
        }
        List<Integer> out = new ArrayList<>();
        for (int x = b; x != -1; x = t[x]) {
            out.add(x);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    public int hops(int a, int b) {
        return path(a, b).size() - 1;
    }

    /**
     * What a node on {@code b} measures downloading from one on {@code a}: the route's bottleneck,
     * or, on the same router, more than any link (a finite number, as measurements are).
     */
    public double measuredBandwidth(int a, int b) {
        return a == b ? Double.MAX_VALUE / 4 : bandwidth(a, b);
    }

    /** The bottleneck bandwidth of the route from {@code a} to {@code b} (infinite for a == b). */
    public double bandwidth(int a, int b) {
        List<Integer> p = path(a, b);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < p.size(); i++) {
            min = Math.min(min, link(p.get(i), p.get(i + 1)));
        }
        return min;
    }

    /** The bottleneck of the route from a to b when each link's capacity is split among {@code share[link]} flows. */
    public double bandwidth(int a, int b, java.util.Map<Long, Integer> share) {
        List<Integer> p = path(a, b);
        double min = Double.POSITIVE_INFINITY;
        for (int i = 0; i + 1 < p.size(); i++) {
            int x = Math.min(p.get(i), p.get(i + 1));
            int y = Math.max(p.get(i), p.get(i + 1));
            min = Math.min(min, link(x, y) / Math.max(1, share.getOrDefault((long) x * routers + y, 1)));
        }
        return min;
    }

    private double link(int a, int b) {
        int[] adj = adjacency.get(a);
        for (int k = 0; k < adj.length; k++) {
            if (adj[k] == b) {
                return bandwidth.get(a)[k];
            }
        }
        throw new IllegalStateException("no link " + a + "-" + b);
    }

    /** The links (as "min-max") on the route from a to b. */
    public Set<Long> links(int a, int b) {
        List<Integer> p = path(a, b);
        Set<Long> out = new HashSet<>();
        for (int i = 0; i + 1 < p.size(); i++) {
            int x = Math.min(p.get(i), p.get(i + 1));
            int y = Math.max(p.get(i), p.get(i + 1));
            out.add((long) x * routers + y);
        }
        return out;
    }
}
