package org.p2plab.can.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.protocol.Zone;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.kv.InMemoryKeyValueStore;
import org.p2plab.overlay.sim.LatencyModel;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.Simulator;

/**
 * Many {@link CanNode}s in one process on the overlay-core simulator, with an oracle that knows
 * every live node's zones, to check routing, neighbour sets and the partition of the space
 * against. Deterministic for a given seed.
 */
public final class CanSimulation {

    private final Simulator simulator;
    private final SimNetwork network;
    private final CanParams params;
    private final Map<String, CanNode> nodes = new HashMap<>();
    private final Map<String, CanNode> live = new LinkedHashMap<>();
    private final List<CanNode> liveList = new ArrayList<>();
    private int created;

    public CanSimulation(long seed, CanParams params, LatencyModel latency, Duration timeout) {
        this.simulator = new Simulator(seed);
        this.network = new SimNetwork(simulator, latency, timeout);
        this.params = params;
    }

    /** {@link LatencyModel#wideArea}: 10-100 ms one way per pair, 500 ms timeouts. */
    public static CanSimulation wideArea(long seed, CanParams params) {
        return new CanSimulation(seed, params,
                LatencyModel.wideArea(seed), LatencyModel.WIDE_AREA_TIMEOUT);
    }

    public Simulator simulator() {
        return simulator;
    }

    public SimNetwork network() {
        return network;
    }

    public CanParams params() {
        return params;
    }

    private CanNode newNode() {
        String address = "sim-" + created++;
        CanNode node = new CanNode(NodeRef.ofAddress(address), params, new SimCanPeer(network, address, nodes),
                simulator.timersFor(address), simulator.instantSource(), simulator.random(), new InMemoryKeyValueStore());
        nodes.put(address, node);
        return node;
    }

    /** The first node, owning the whole space. */
    public CanNode createSpace() {
        CanNode node = newNode();
        node.create();
        addLive(node);
        return node;
    }

    /** A new node joins at a random point through a random live node (its timers not started). */
    public CanNode join() {
        if (live.isEmpty()) {
            return createSpace();
        }
        CanNode node = newNode();
        node.join(randomLive().self());
        addLive(node);
        return node;
    }

    /** Grows the space to {@code n} nodes by joins, one after the other. */
    public void grow(int n) {
        while (live.size() < n) {
            join();
        }
    }

    /** Starts every live node's periodic updates (failure detection and takeover need them). */
    public void startMaintenance() {
        for (CanNode node : liveList) {
            node.start();
        }
    }

    /** The node stops answering and its timers stop: a crash. */
    public void crash(CanNode node) {
        simulator.setUp(node.self().address(), false);
        node.stop();
        removeLive(node);
    }

    /** The node leaves gracefully, handing its zones to a neighbour. */
    public boolean leave(CanNode node) {
        boolean handedOver = node.leave();
        removeLive(node);
        return handedOver;
    }

    public CanNode randomLive() {
        return liveList.get(simulator.random().nextInt(liveList.size()));
    }

    public List<CanNode> liveNodes() {
        return List.copyOf(liveList);
    }

    public int size() {
        return liveList.size();
    }

    private void addLive(CanNode node) {
        live.put(node.self().address(), node);
        liveList.add(node);
    }

    private void removeLive(CanNode node) {
        live.remove(node.self().address());
        liveList.remove(node);
    }

    // ------------------------------------------------------------------ the oracle

    /** The live node whose zones contain the point, or null if none does (a zone not yet taken over). */
    public CanNode trueOwner(Point p) {
        CanNode found = null;
        for (CanNode node : liveList) {
            for (Zone z : node.zones()) {
                if (z.contains(p)) {
                    if (found != null && found != node) {
                        throw new IllegalStateException(p + " is in zones of " + found.self().address() + " and "
                                + node.self().address());
                    }
                    found = node;
                }
            }
        }
        return found;
    }

    /** The sum of the live nodes' zone volumes: 1 when the live nodes cover the space. */
    public double coveredVolume() {
        double v = 0;
        for (CanNode node : liveList) {
            v += node.volume();
        }
        return v;
    }

    /**
     * Whether the live nodes partition the space: volumes sum to 1 and no two zones overlap
     * (checked pairwise within a grid of buckets, so it stays fast for thousands of nodes).
     */
    public boolean isPartition() {
        if (Math.abs(coveredVolume() - 1) > 1e-9) {
            return false;
        }
        List<Zone> all = new ArrayList<>();
        for (CanNode node : liveList) {
            all.addAll(node.zones());
        }
        all.sort((a, b) -> Long.compare(a.lo(0), b.lo(0)));
        for (int i = 0; i < all.size(); i++) {
            Zone a = all.get(i);
            for (int j = i + 1; j < all.size() && all.get(j).lo(0) < a.hi(0); j++) {
                if (a.overlaps(all.get(j))) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The neighbours a node should have: the live nodes with a zone abutting one of its zones
     * (the oracle's view, to compare the node's own neighbour set with).
     */
    public List<String> trueNeighbours(CanNode node) {
        List<String> result = new ArrayList<>();
        List<Zone> mine = node.zones();
        for (CanNode other : liveList) {
            if (other == node) {
                continue;
            }
            boolean abuts = false;
            for (Zone z : other.zones()) {
                for (Zone m : mine) {
                    abuts |= m.isNeighbour(z);
                }
            }
            if (abuts) {
                result.add(other.self().address());
            }
        }
        return result;
    }
}
