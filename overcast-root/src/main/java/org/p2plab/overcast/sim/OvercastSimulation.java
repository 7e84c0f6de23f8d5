package org.p2plab.overcast.sim;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.p2plab.overcast.protocol.OvercastNode;
import org.p2plab.overcast.protocol.OvercastPeer;
import org.p2plab.overcast.protocol.UpDown;
import org.p2plab.overlay.sim.LatencyModel;
import org.p2plab.overlay.sim.SimNetwork;
import org.p2plab.overlay.sim.Simulator;

/**
 * Overcast nodes in time: each an {@link OvercastNode} (its own check-in, lease and round timers
 * on the simulator's clock), every check-in, probe download and children query a
 * {@link SimNetwork} call (a node that is down times out). Nodes sit on routers of a
 * {@link TransitStubTopology}, which gives the bandwidths and hop counts they measure.
 */
public final class OvercastSimulation {

    public static final String ROOT = "root";

    private final Simulator simulator;
    private final SimNetwork network;
    private final TransitStubTopology topology;
    private final OvercastNode.Params params;
    private final Map<String, Integer> routerOf = new LinkedHashMap<>();
    private final Map<String, OvercastNode> nodes = new LinkedHashMap<>();

    public OvercastSimulation(long seed, TransitStubTopology topology, OvercastNode.Params params) {
        this.simulator = new Simulator(seed);
        this.network = new SimNetwork(simulator, LatencyModel.constant(Duration.ofMillis(20)), Duration.ofSeconds(1));
        this.topology = topology;
        this.params = params;
        int rootRouter = 0;
        while (!topology.isTransit(rootRouter)) {
            rootRouter++;
        }
        add(ROOT, rootRouter, null);
    }

    public Simulator simulator() {
        return simulator;
    }

    public SimNetwork network() {
        return network;
    }

    /** A node on {@code router} that boots under the root and starts its timers. */
    public OvercastNode join(String name, int router) {
        return add(name, router, ROOT);
    }

    private OvercastNode add(String name, int router, String parent) {
        routerOf.put(name, router);
        OvercastNode n = new OvercastNode(new UpDown(name, parent, params.lease()), peer(name), simulator.timersFor(name),
                simulator.instantSource(), simulator.random(), params);
        nodes.put(name, n);
        n.start();
        return n;
    }

    public Map<String, OvercastNode> nodes() {
        return nodes;
    }

    public OvercastNode root() {
        return nodes.get(ROOT);
    }

    /** The node crashes: its timers stop and calls to it time out. */
    public void crash(String name) {
        simulator.setUp(name, false);
        nodes.get(name).stop();
    }

    public boolean isUp(String name) {
        return simulator.isUp(name);
    }

    private OvercastPeer peer(String self) {
        return new OvercastPeer() {
            @Override
            public UpDown.Reply checkIn(String parent, UpDown.CheckIn c) {
                return network.call(self, parent, "check-in", () -> nodes.get(parent).updown().handleCheckIn(c, simulator.instantSource().instant()));
            }

            @Override
            public double bandwidth(String node) {
                return network.call(self, node, "probe", () -> topology.measuredBandwidth(routerOf.get(node), routerOf.get(self)));
            }

            @Override
            public int hops(String node) {
                return topology.hops(routerOf.get(node), routerOf.get(self));
            }

            @Override
            public List<String> children(String node) {
                return network.call(self, node, "children", () -> nodes.get(node).updown().children());
            }
        };
    }
}
