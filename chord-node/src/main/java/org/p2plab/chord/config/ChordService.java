package org.p2plab.chord.config;

import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordPeer;
import org.p2plab.overlay.kv.KeyValueStore;
import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this process's {@link ChordNode}. The node is built once the web server knows its port
 * (so the advertised address and the id are right with {@code server.port=0}), then creates a
 * ring or joins the configured bootstrap, retrying in the background while it does not answer.
 */
public class ChordService extends OverlayNodeService {

    private static final Logger log = LoggerFactory.getLogger(ChordService.class);

    private final ChordProperties properties;
    private final ChordPeer peer;
    private final KeyValueStore store;
    private final P2pMetrics metrics;
    private final AtomicReference<ChordNode> node = new AtomicReference<>();
    private final ExecutorTimers timers = new ExecutorTimers("chord");
    private volatile String joinState = "starting";
    private volatile boolean autoJoin;

    public ChordService(ChordProperties properties, ChordPeer peer, KeyValueStore store, P2pMetrics metrics) {
        this.properties = properties;
        this.peer = peer;
        this.store = store;
        this.metrics = metrics;
    }

    @Override
    protected void onWebServerPort(int port) {
        String address = advertisedAddress(properties.advertisedAddress(), port);
        NodeId id = blank(properties.nodeId()) ? NodeId.hash(address) : NodeId.parse(properties.nodeId());
        ChordNode created = new ChordNode(new NodeRef(id, address), properties.toParams(), peer, timers,
                Clock.systemUTC(), new Random(), store);
        node.set(created);
        registerGauges(created);
        created.start();
        joinState = "alone";
        if (!blank(properties.bootstrap()) && !stripSlash(properties.bootstrap()).equals(address)) {
            autoJoin = true;
            joinState = "joining";
            String bootstrap = stripSlash(properties.bootstrap());
            timers.schedule(Duration.ZERO, () -> tryJoin(bootstrap));
        }
        log.info("Chord node {} at {} ({})", id.toShortHex(), address,
                blank(properties.bootstrap()) ? "new ring" : "joining " + properties.bootstrap());
    }

    /** One attempt to join the configured bootstrap; on no answer, another after the retry interval. */
    private void tryJoin(String bootstrap) {
        if (!autoJoin) {
            return; // a user joined or left by hand meanwhile
        }
        try {
            join(bootstrap);
        } catch (PeerUnavailableException | ChordNode.LookupFailedException e) {
            log.info("bootstrap {} not reachable yet ({}); retrying in {}", bootstrap, e.getMessage(),
                    properties.joinRetryInterval());
            timers.schedule(properties.joinRetryInterval(), () -> tryJoin(bootstrap));
        } catch (RuntimeException e) {
            joinState = "join failed: " + e.getMessage();
            log.warn("joining through {} failed for good", bootstrap, e);
        }
    }

    /**
     * Joins the ring of the node at {@code bootstrap}: learns its identity, then runs the
     * protocol's join.
     *
     * @throws IllegalArgumentException when the bootstrap is this node
     * @throws PeerUnavailableException when it does not answer
     */
    public NodeRef joinByHand(String bootstrap) {
        autoJoin = false;
        return join(bootstrap);
    }

    private synchronized NodeRef join(String bootstrap) {
        ChordNode n = node();
        String address = stripSlash(bootstrap);
        if (address.equals(n.self().address())) {
            throw new IllegalArgumentException("cannot join through this node itself (" + address + ")");
        }
        NodeState state = peer.state(new NodeRef(NodeId.ZERO, address));
        NodeRef ref = state.node();
        if (ref.equals(n.self())) {
            throw new IllegalArgumentException(address + " is this node itself");
        }
        n.join(ref);
        joinState = "alone";
        log.info("joined the ring through {} ({}); successor {}", address, ref.id().toShortHex(), n.successor());
        return n.successor();
    }

    /**
     * "member" when the node has a successor other than itself, "alone" when it is a ring of
     * one; "starting", "joining" (the configured bootstrap has not answered yet) or
     * "join failed: ..." while those hold.
     */
    public String joinState() {
        ChordNode n = node.get();
        if (n == null) {
            return "starting";
        }
        if (!n.successor().equals(n.self())) {
            return "member";
        }
        return joinState;
    }

    /** In a ring: a member of one, or the ring of one it created or was left with (not starting or joining). */
    public boolean inRing() {
        String state = joinState();
        return state.equals("member") || state.equals("alone");
    }

    /** Leaves the ring gracefully and becomes a ring of one. */
    public synchronized void leave() {
        autoJoin = false;
        node().leave();
        joinState = "alone";
    }

    /** The node, or a 503 problem while the server is still starting. */
    public ChordNode node() {
        ChordNode n = node.get();
        if (n == null) {
            throw ProblemException.serviceUnavailable("starting", "the Chord node is still starting", 1);
        }
        return n;
    }

    private void registerGauges(ChordNode n) {
        metrics.gauge("p2p.chord.successors", "chord", () -> n.successorList().stream().filter(s -> !s.equals(n.self())).count());
        metrics.gauge("p2p.chord.fingers", "chord", () -> n.fingers().stream().filter(f -> !f.equals(n.self())).distinct().count());
        metrics.gauge("p2p.chord.predecessor", "chord", () -> n.predecessor().isPresent() ? 1 : 0);
        metrics.gauge("p2p.chord.keys.owned", "chord", () -> n.storedKeys().owned().size());
        metrics.gauge("p2p.chord.keys.replicated", "chord", () -> n.storedKeys().replicated().size());
    }

    @Override
    protected void shutdown() {
        ChordNode n = node.get();
        if (n != null) {
            if (properties.leaveOnShutdown()) {
                try {
                    n.leave();
                } catch (RuntimeException e) {
                    log.warn("graceful leave failed: {}", e.getMessage());
                }
            }
            n.stop();
        }
        timers.close();
    }
}
