package org.p2plab.gnutella.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.p2plab.gnutella.protocol.Guid;
import org.p2plab.gnutella.protocol.GnutellaNode;
import org.p2plab.gnutella.protocol.Library;
import org.p2plab.gnutella.protocol.Messages;
import org.p2plab.gnutella.protocol.Packet;
import org.p2plab.overlay.sim.Simulator;

/**
 * Gnutella on the deterministic simulator: {@link GnutellaNode}s (the same routing core as the
 * service) on a random graph, every message a one-way event delivered after the link's latency,
 * so a flood spreads in time as it would, and the first copy of a query to reach a peer is the
 * one it forwards. Builds a flat network (every peer routes, as in Gnutella 0.4) or a two-level
 * one (ultrapeers on a random graph, each leaf connected to a few ultrapeers), and measures one
 * query at a time: the messages it cost, the peers it reached, and how many of the copies that
 * arrived were duplicates.
 */
public final class GnutellaSimulation {

    /** One query's cost. */
    public record QueryCost(int queryMessages, int hitMessages, int reached, int duplicates, int hits) {

        /** Duplicates over every copy of the query that arrived. */
        public double duplicateFraction() {
            return queryMessages == 0 ? 0 : (double) duplicates / queryMessages;
        }
    }

    private final Simulator sim;
    private final RandomGenerator random;
    /** Chooses the sources and where files go: apart from the latencies' draws, so that two networks built alike pick alike. */
    private final java.util.SplittableRandom pick;
    private final List<Peer> peers = new ArrayList<>();
    /** Deliveries of the query being measured: peer index → copies received. */
    private final Map<Integer, Integer> receipts = new HashMap<>();
    private Guid measured;
    private int queryMessages;
    private int hitMessages;
    private int hitsAtSource;

    private final class Peer {
        final int index;
        final boolean ultrapeer;
        final Library library = new Library();
        final GnutellaNode node;
        final Set<Integer> neighbours = new HashSet<>();

        Peer(int index, boolean ultrapeer, int maxTtl, int fanout) {
            this.index = index;
            this.ultrapeer = ultrapeer;
            GnutellaNode.Params p = new GnutellaNode.Params(ultrapeer, maxTtl, maxTtl, fanout, 4096, 3_600_000L, 50);
            this.node = new GnutellaNode(Guid.random(random), p, library,
                    new GnutellaNode.Self("10." + (index >> 16 & 0xFF) + "." + (index >> 8 & 0xFF) + "." + (index & 0xFF), 6346, 1000,
                            false),
                    sim.instantSource(), random, new GnutellaNode.Listener() {
                        @Override
                        public void queryHit(Guid query, Messages.QueryHit hit, int hops) {
                            if (query.equals(measured)) {
                                hitsAtSource += hit.results().size();
                            }
                        }
                    });
        }
    }

    /**
     * The link from one peer to another: sending schedules delivery after the link's latency,
     * drawn once per link (10-100 ms), so that two networks built alike deliver alike.
     */
    private final class SimLink implements GnutellaNode.Link {
        final Peer from;
        final Peer to;
        final Duration latency;
        SimLink back;

        SimLink(Peer from, Peer to, Duration latency) {
            this.from = from;
            this.to = to;
            this.latency = latency;
        }

        @Override
        public String id() {
            return Integer.toString(to.index);
        }

        @Override
        public boolean ultrapeer() {
            return to.ultrapeer;
        }

        @Override
        public void send(Packet p) {
            if (p.guid().equals(measured)) {
                if (p.type() == Packet.QUERY) {
                    queryMessages++;
                }
                else if (p.type() == Packet.QUERY_HIT) {
                    hitMessages++;
                }
            }
            sim.schedule(latency, () -> {
                if (p.type() == Packet.QUERY && p.guid().equals(measured)) {
                    receipts.merge(to.index, 1, Integer::sum);
                }
                to.node.onPacket(back, p);
            });
        }
    }

    private GnutellaSimulation(long seed) {
        this.sim = new Simulator(seed);
        this.random = sim.random();
        this.pick = new java.util.SplittableRandom(seed ^ 0x5DEECE66DL);
    }

    /**
     * A flat network: {@code n} peers that all route, on a random graph with mean degree
     * {@code degree} (n·degree/2 distinct random edges; a peer left alone gets one edge).
     */
    public static GnutellaSimulation flat(long seed, int n, int degree, int maxTtl, int fanout) {
        GnutellaSimulation s = new GnutellaSimulation(seed);
        for (int i = 0; i < n; i++) {
            s.peers.add(s.new Peer(i, true, maxTtl, fanout));
        }
        s.randomGraph(0, n, degree);
        return s;
    }

    /**
     * Two levels: {@code ultrapeers} ultrapeers on a random graph of mean degree {@code degree},
     * and {@code n - ultrapeers} leaves, each connected to {@code leafLinks} random ultrapeers.
     * {@code qrp}: an ultrapeer forwards a query to a leaf only if the leaf has a file with every
     * word (what its QRP table would tell it).
     */
    public static GnutellaSimulation twoLevel(long seed, int n, int ultrapeers, int degree, int leafLinks, int maxTtl, boolean qrp) {
        GnutellaSimulation s = new GnutellaSimulation(seed);
        for (int i = 0; i < n; i++) {
            s.peers.add(s.new Peer(i, i < ultrapeers, maxTtl, 0));
        }
        s.randomGraph(0, ultrapeers, degree);
        for (int i = ultrapeers; i < n; i++) {
            Set<Integer> chosen = new HashSet<>();
            while (chosen.size() < Math.min(leafLinks, ultrapeers)) {
                chosen.add(s.random.nextInt(ultrapeers));
            }
            for (int u : chosen) {
                s.connect(i, u);
            }
        }
        if (qrp) {
            for (Peer up : s.peers.subList(0, ultrapeers)) {
                for (GnutellaNode.Link l : up.node.links()) {
                    Peer leaf = ((SimLink) l).to;
                    if (!leaf.ultrapeer) {
                        up.node.leafFilter(l, words -> !leaf.library.search(String.join(" ", words), List.of(), 1).isEmpty());
                    }
                }
            }
        }
        return s;
    }

    private void randomGraph(int from, int to, int degree) {
        int n = to - from;
        long edges = (long) n * degree / 2;
        long made = 0;
        long attempts = 0;
        while (made < edges && attempts++ < edges * 20) {
            int a = from + random.nextInt(n);
            int b = from + random.nextInt(n);
            if (a != b && !peers.get(a).neighbours.contains(b)) {
                connect(a, b);
                made++;
            }
        }
        for (int i = from; i < to; i++) {
            if (peers.get(i).neighbours.isEmpty() && n > 1) {
                int b;
                do {
                    b = from + random.nextInt(n);
                }
                while (b == i);
                connect(i, b);
            }
        }
    }

    private void connect(int a, int b) {
        Peer pa = peers.get(a);
        Peer pb = peers.get(b);
        Duration latency = Duration.ofMillis(10 + random.nextInt(91));
        SimLink ab = new SimLink(pa, pb, latency);
        SimLink ba = new SimLink(pb, pa, latency);
        ab.back = ba;
        ba.back = ab;
        pa.neighbours.add(b);
        pb.neighbours.add(a);
        pa.node.connected(ab);
        pb.node.connected(ba);
    }

    public int size() {
        return peers.size();
    }

    public int ultrapeers() {
        return (int) peers.stream().filter(p -> p.ultrapeer).count();
    }

    /** Puts a file named {@code name} on {@code copies} random peers (leaves, in a two-level network). */
    public void share(String name, int copies) {
        List<Peer> candidates = peers.stream().filter(p -> !p.ultrapeer || ultrapeers() == size()).toList();
        Set<Integer> chosen = new HashSet<>();
        while (chosen.size() < Math.min(copies, candidates.size())) {
            chosen.add(pick.nextInt(candidates.size()));
        }
        for (int i : chosen) {
            candidates.get(i).library.add(name, 1_000_000, null);
        }
    }

    /** Runs one query from a random peer (a leaf, in a two-level network) and returns its cost. */
    public QueryCost query(String criteria, int ttl) {
        List<Peer> sources = peers.stream().filter(p -> !p.ultrapeer || ultrapeers() == size()).toList();
        Peer source = sources.get(pick.nextInt(sources.size()));
        receipts.clear();
        queryMessages = 0;
        hitMessages = 0;
        hitsAtSource = 0;
        measured = Guid.random(pick);
        source.node.search(measured, criteria, ttl);
        sim.runUntil(() -> sim.pendingEvents() == 0, Duration.ofHours(1));
        int reached = receipts.size() + (receipts.containsKey(source.index) ? 0 : 1);
        int copies = receipts.values().stream().mapToInt(Integer::intValue).sum();
        int duplicates = copies - receipts.size();
        return new QueryCost(queryMessages, hitMessages, reached, duplicates, hitsAtSource);
    }
}
