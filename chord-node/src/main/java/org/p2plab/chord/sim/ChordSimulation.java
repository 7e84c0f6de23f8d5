package org.p2plab.chord.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.overlay.kv.InMemoryKeyValueStore;
import org.p2plab.overlay.kv.KeyValueStore;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.sim.LatencyModel;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.Simulator;

/**
 * Many {@link ChordNode}s in one process on the overlay-core simulator, with an oracle that
 * knows the true ring (the sorted identifiers of the live nodes) to check them against.
 * Deterministic for a given seed.
 */
public final class ChordSimulation {

    /** How fast {@link #buildStableRing} grows the ring: this fraction of its size joins per second. */
    private static final double GROWTH_PER_SECOND = 0.2;

    private final Simulator simulator;
    private final SimNetwork network;
    private final ChordParams params;
    private final Map<String, ChordNode> nodes = new HashMap<>();
    private final List<ChordNode> order = new ArrayList<>();
    private final NavigableMap<NodeId, ChordNode> live = new TreeMap<>();
    private Supplier<KeyValueStore> stores = InMemoryKeyValueStore::new;
    private int created;

    public ChordSimulation(long seed, ChordParams params, LatencyModel latency, Duration timeout) {
        this.simulator = new Simulator(seed);
        this.network = new SimNetwork(simulator, latency, timeout);
        this.params = params;
    }

    /** {@link LatencyModel#wideArea}: 10-100 ms one way per pair, 500 ms timeouts. */
    public static ChordSimulation wideArea(long seed, ChordParams params) {
        return new ChordSimulation(seed, params,
                LatencyModel.wideArea(seed), LatencyModel.WIDE_AREA_TIMEOUT);
    }

    /** Where new nodes get their stores (default: a fresh {@link InMemoryKeyValueStore} each). */
    public void storesFrom(Supplier<KeyValueStore> stores) {
        this.stores = stores;
    }

    public Simulator simulator() {
        return simulator;
    }

    public SimNetwork network() {
        return network;
    }

    /** A new node with a random identifier, not yet in any ring and not started. */
    public ChordNode newNode() {
        String address = "sim-" + created++;
        NodeRef ref = new NodeRef(NodeId.random(simulator.random()), address);
        ChordNode node = new ChordNode(ref, params, new SimChordPeer(network, address, nodes),
                simulator.timersFor(address), simulator.instantSource(), simulator.random(), stores.get());
        nodes.put(address, node);
        order.add(node);
        return node;
    }

    /** The first node: a ring of one, maintenance started. */
    public ChordNode createRing() {
        ChordNode node = newNode();
        node.create();
        node.start();
        live.put(node.self().id(), node);
        return node;
    }

    /** A new node joins through a random live node and starts its maintenance. */
    public ChordNode join() {
        ChordNode node = newNode();
        ChordNode bootstrap = randomLive();
        node.join(bootstrap.self());
        node.start();
        live.put(node.self().id(), node);
        return node;
    }

    /**
     * Builds a ring of {@code n} nodes by joins, letting maintenance run between them, then
     * runs until every successor, predecessor and finger is what the oracle says.
     *
     * @throws IllegalStateException when it does not converge within the time limit
     */
    public void buildStableRing(int n, Duration limit) {
        if (live.isEmpty()) {
            createRing();
        }
        // The ring grows by GROWTH_PER_SECOND of its size each second, joins spread over the
        // second and over the ring, so each node sees about that many joins near it per
        // stabilization round, as in a growing real ring. (All N at once would leave early
        // nodes with far-away successors that stabilize walks back one node per round.)
        // Joins are events, so their calls take time on the joining node only.
        while (live.size() < n) {
            int batch = Math.min(n - live.size(), Math.max(1, (int) (live.size() * GROWTH_PER_SECOND)));
            for (int k = 0; k < batch; k++) {
                simulator.schedule(Duration.ofNanos((long) (simulator.random().nextDouble() * 1e9)), this::join);
            }
            simulator.runFor(Duration.ofSeconds(1));
        }
        awaitStable(limit);
    }

    public void awaitStable(Duration limit) {
        if (!simulator.runUntil(this::ringAndFingersCorrect, limit, Duration.ofSeconds(1))) {
            throw new IllegalStateException("ring of " + live.size() + " not stable after " + limit
                    + ": successors wrong at " + wrongSuccessors() + " nodes, fingers wrong at " + wrongFingers());
        }
    }

    /** Crashes a node: it stops answering and its timers stop, without telling anyone. */
    public void crash(ChordNode node) {
        simulator.setUp(node.self().address(), false);
        live.remove(node.self().id());
    }

    /** Graceful leave. */
    public void leave(ChordNode node) {
        node.leave();
        node.stop();
        simulator.setUp(node.self().address(), false);
        live.remove(node.self().id());
    }

    /** Stops every node's periodic maintenance ("stabilization stopped"). */
    public void stopMaintenance() {
        live.values().forEach(ChordNode::stop);
    }

    public List<ChordNode> liveNodes() {
        return List.copyOf(live.values());
    }

    public int size() {
        return live.size();
    }

    public ChordNode randomLive() {
        int k = simulator.random().nextInt(live.size());
        return liveNodes().get(k);
    }

    /** The oracle: the first live node at or after the id. */
    public NodeRef trueSuccessor(NodeId id) {
        Map.Entry<NodeId, ChordNode> e = live.ceilingEntry(id);
        return (e != null ? e : live.firstEntry()).getValue().self();
    }

    private NodeRef trueSuccessorOf(ChordNode node) {
        Map.Entry<NodeId, ChordNode> e = live.higherEntry(node.self().id());
        return (e != null ? e : live.firstEntry()).getValue().self();
    }

    private NodeRef truePredecessorOf(ChordNode node) {
        Map.Entry<NodeId, ChordNode> e = live.lowerEntry(node.self().id());
        return (e != null ? e : live.lastEntry()).getValue().self();
    }

    /** Does every live node have the true successor, predecessor and fingers? Stops at the first that does not. */
    public boolean ringAndFingersCorrect() {
        for (ChordNode n : live.values()) {
            if (!pointersCorrect(n) || !fingersCorrect(n)) {
                return false;
            }
        }
        return true;
    }

    private boolean pointersCorrect(ChordNode n) {
        return n.successor().equals(trueSuccessorOf(n))
                && n.predecessor().map(p -> p.equals(truePredecessorOf(n))).orElse(live.size() == 1);
    }

    private boolean fingersCorrect(ChordNode n) {
        List<NodeRef> fingers = n.fingers();
        for (int i = 0; i < NodeId.BITS; i++) {
            if (!fingers.get(i).equals(trueSuccessor(n.self().id().plusPowerOfTwo(i)))) {
                return false;
            }
        }
        return true;
    }

    /** Live nodes whose successor or predecessor is not the true one. */
    public long wrongSuccessors() {
        return live.values().stream().filter(n -> !pointersCorrect(n)).count();
    }

    /** Live nodes with at least one finger that is not the true successor of its start. */
    public long wrongFingers() {
        return live.values().stream().filter(n -> !fingersCorrect(n)).count();
    }
}
