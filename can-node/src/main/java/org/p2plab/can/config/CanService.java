package org.p2plab.can.config;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanPeer;
import org.p2plab.overlay.ExecutorTimers;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.kv.InMemoryKeyValueStore;
import org.p2plab.support.lab.OverlayNodeService;
import org.p2plab.support.metrics.P2pMetrics;
import org.p2plab.support.problem.ProblemException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this process's {@link CanNode}. The node is built once the web server knows its port (so
 * the advertised address is right with {@code server.port=0}); it then creates a space (no
 * bootstrap) or joins the configured bootstrap, retrying in the background while it does not
 * answer. Entries live in memory: a CAN keeps its keys alive by copying them to the owner's
 * neighbours, not on disk.
 */
public class CanService extends OverlayNodeService {

    static final String SYSTEM = "can";
    private static final Logger log = LoggerFactory.getLogger(CanService.class);

    private final CanProperties properties;
    private final CanPeer peer;
    private final P2pMetrics metrics;
    private final AtomicReference<CanNode> node = new AtomicReference<>();
    private final ExecutorTimers timers = new ExecutorTimers("can");
    private volatile String state = "starting";
    private volatile boolean autoJoin;

    public CanService(CanProperties properties, CanPeer peer, P2pMetrics metrics) {
        this.properties = properties;
        this.peer = peer;
        this.metrics = metrics;
    }

    @Override
    protected void onWebServerPort(int port) {
        String address = advertisedAddress(properties.advertisedAddress(), port);
        CanNode created = new CanNode(NodeRef.ofAddress(address), properties.toParams(), peer, timers, Clock.systemUTC(),
                new Random(), new InMemoryKeyValueStore());
        node.set(created);
        registerGauges(created);
        if (blank(properties.bootstrap()) || stripSlash(properties.bootstrap()).equals(address)) {
            created.create();
            created.start();
            state = "member";
            log.info("CAN node at {}: a new {}-dimensional space", address, properties.dimensions());
        }
        else {
            autoJoin = true;
            state = "joining";
            String bootstrap = stripSlash(properties.bootstrap());
            timers.schedule(Duration.ZERO, () -> tryJoin(bootstrap));
            log.info("CAN node at {}: joining {}", address, bootstrap);
        }
    }

    /** One attempt to join the configured bootstrap; on no answer, another after the retry interval. */
    private void tryJoin(String bootstrap) {
        if (!autoJoin) {
            return; // joined or left by hand meanwhile
        }
        try {
            join(bootstrap);
        }
        catch (PeerUnavailableException | CanNode.LookupFailedException e) {
            log.info("bootstrap {} not reachable yet ({}); retrying in {}", bootstrap, e.getMessage(), properties.joinRetryInterval());
            timers.schedule(properties.joinRetryInterval(), () -> tryJoin(bootstrap));
        }
        catch (RuntimeException e) {
            state = "join failed: " + e.getMessage();
            log.warn("joining through {} failed for good", bootstrap, e);
        }
    }

    /**
     * Joins the space of the node at {@code bootstrap} by hand. A node alone in a space of its own
     * brings its keys along (they are put again in the new space); a node with neighbours must
     * leave first.
     */
    public void joinByHand(String bootstrap) {
        CanNode n = node();
        if (n.isMember() && !n.neighbours().isEmpty()) {
            throw ProblemException.conflict("member", "this node is already part of a space with "
                    + n.neighbours().size() + " neighbours: POST /space/leave first");
        }
        autoJoin = false;
        join(stripSlash(bootstrap));
    }

    private synchronized void join(String bootstrap) {
        CanNode n = node();
        if (bootstrap.equals(n.self().address())) {
            throw new IllegalArgumentException("cannot join through this node itself (" + bootstrap + ")");
        }
        List<DhtEntry> mine = n.isMember() ? n.ownedEntries() : List.of();
        n.stop();
        n.join(NodeRef.ofAddress(bootstrap));
        n.start();
        state = "member";
        for (DhtEntry e : mine) {
            if (!e.deleted()) {
                n.put(e.key(), e.value(), e.contentType());
            }
        }
        log.info("joined the space through {}: zones {}, {} neighbours", bootstrap, n.zones(), n.neighbours().size());
    }

    /** Hands this node's zones to a neighbour; the node is then out of any space until it joins again. */
    public synchronized void leave() {
        CanNode n = node();
        if (!n.isMember()) {
            throw ProblemException.conflict("not-member", "this node is not part of a space: POST /space/join first");
        }
        if (n.neighbours().isEmpty()) {
            throw ProblemException.conflict("alone", "this node is alone in its space: there is no neighbour to hand it to");
        }
        autoJoin = false;
        if (!n.leave()) {
            throw ProblemException.serviceUnavailable("peer-unavailable", "no neighbour took the zone over", 2);
        }
        state = "left";
    }

    /**
     * "member" (owns part of a space), "starting", "joining" (the bootstrap has not answered
     * yet), "left", or "join failed: ...".
     */
    public String state() {
        CanNode n = node.get();
        return n != null && n.isMember() ? "member" : state;
    }

    /** Part of a space: ready to serve. */
    public boolean inSpace() {
        CanNode n = node.get();
        return n != null && n.isMember();
    }

    /** Largest value accepted, in bytes. */
    public long maxValueSize() {
        return properties.maxValueSize().toBytes();
    }

    /** Seconds until a dead owner's zone is likely taken over: its silence timeout plus the takeover timer. */
    public long takeoverRetryAfterSeconds() {
        return Math.max(1, (properties.neighbourTimeout().plus(properties.takeoverTimer()).toMillis() + 999) / 1000);
    }

    /** The node, or a 503 problem while the server is still starting. */
    public CanNode node() {
        CanNode n = node.get();
        if (n == null) {
            throw ProblemException.serviceUnavailable("starting", "the CAN node is still starting", 1);
        }
        return n;
    }

    /** The node, or a 503 problem while it is not part of a space (joining, or left). */
    public CanNode member() {
        CanNode n = node();
        if (!n.isMember()) {
            throw ProblemException.serviceUnavailable("not-member", "this node is not part of a space (" + state() + ")", 2);
        }
        return n;
    }

    private void registerGauges(CanNode n) {
        metrics.gauge("p2p.can.neighbours", SYSTEM, () -> n.neighbours().size());
        metrics.gauge("p2p.can.zones", SYSTEM, () -> n.zones().size());
        metrics.gauge("p2p.can.volume", SYSTEM, n::volume);
        metrics.gauge("p2p.can.keys.owned", SYSTEM, n::ownedKeys);
        metrics.gauge("p2p.can.keys.stored", SYSTEM, n::storedKeys);
        metrics.gauge("p2p.can.takeovers", SYSTEM, n::takeovers);
    }

    @Override
    protected void shutdown() {
        CanNode n = node.get();
        if (n != null) {
            if (properties.leaveOnShutdown() && n.isMember() && !n.neighbours().isEmpty()) {
                try {
                    n.leave();
                }
                catch (RuntimeException e) {
                    log.warn("graceful leave failed: {}", e.getMessage());
                }
            }
            n.stop();
        }
        timers.close();
    }
}
