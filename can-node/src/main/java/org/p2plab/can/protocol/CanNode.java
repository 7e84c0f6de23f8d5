package org.p2plab.can.protocol;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.p2plab.can.protocol.Messages.Handover;
import org.p2plab.can.protocol.Messages.JoinReply;
import org.p2plab.can.protocol.Messages.NeighbourInfo;
import org.p2plab.can.protocol.Messages.PutReply;
import org.p2plab.can.protocol.Messages.StepReply;
import org.p2plab.can.protocol.Messages.Takeover;
import org.p2plab.can.protocol.Messages.TakeoverReply;
import org.p2plab.can.protocol.Messages.Update;
import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.kv.KeyValueStore;

/**
 * One CAN node, as the SIGCOMM 2001 paper describes it (sections 2.1-2.3): it owns one zone of
 * the d-torus (more, for a while, after taking over a dead neighbour's), knows only its
 * neighbours, routes greedily, splits its zone for a joining node, sends its neighbours periodic
 * updates, and takes over the zone of a neighbour that falls silent by the takeover algorithm
 * (timers proportional to each neighbour's volume; the first to fire claims the zone and tells
 * the dead node's other neighbours).
 * <p>
 * Plain Java, driven by its timer and by the inbound calls (the {@code handle*} methods); other
 * nodes are reached only through {@link CanPeer}, so the same code runs as an HTTP service and
 * in the simulator. Lookups are iterative: this node walks the path, asking each hop for its
 * greedy next step, so it can report every hop and route around neighbours that do not answer.
 * <p>
 * Thread-safe: the state is guarded by this object's monitor, never held during a call to
 * another node.
 */
public final class CanNode {

    private static final System.Logger LOG = System.getLogger(CanNode.class.getName());
    private static final int JOIN_ATTEMPTS = 8;

    /** A lookup that could not reach the point's owner. */
    public static class LookupFailedException extends RuntimeException {
        public LookupFailedException(String message) {
            super(message);
        }
    }

    /**
     * The point lies in the zone of a node that does not answer, and no neighbour has taken it
     * over yet: retry after about the takeover time.
     */
    public static final class OwnerUnavailableException extends LookupFailedException {
        private final NodeRef owner;

        public OwnerUnavailableException(NodeRef owner) {
            super("the owner of the point, " + owner.address() + ", does not answer; its zone is being taken over");
            this.owner = owner;
        }

        public NodeRef owner() {
            return owner;
        }
    }

    /** The node asked to store or read a key does not own its point (the zones moved meanwhile). */
    public static final class NotOwnerException extends RuntimeException {
        public NotOwnerException(String message) {
            super(message);
        }
    }

    /** A put: where it went, whether the key was new, its version. */
    public record PutResult(LookupResult route, boolean created, long version) {
    }

    /** A get: where it went, and the entry (empty when absent or deleted). */
    public record GetResult(LookupResult route, Optional<DhtEntry> entry) {
    }

    /** A delete: where it went, and whether the key existed. */
    public record DeleteResult(LookupResult route, boolean existed) {
    }

    /** Where a lookup ended: the owner, its zones, and the path (every node after this one). */
    public record LookupResult(Point point, NodeRef owner, List<Zone> zones, int hops, List<NodeRef> path) {
        public LookupResult {
            zones = List.copyOf(zones);
            path = List.copyOf(path);
        }
    }

    /** What this node knows of one neighbour. */
    private static final class Neighbour {
        final NodeRef node;
        List<Zone> zones;
        List<NeighbourInfo> theirNeighbours = List.of();
        long lastHeardNanos;

        Neighbour(NodeRef node, List<Zone> zones, long now) {
            this.node = node;
            this.zones = List.copyOf(zones);
            this.lastHeardNanos = now;
        }

        NeighbourInfo info() {
            return new NeighbourInfo(node, zones);
        }

        double volume() {
            return zones.stream().mapToDouble(Zone::volume).sum();
        }
    }

    /** A claim on a dead node's zones: who, and with what volume. */
    private record Claim(String by, double volume) {
        boolean beats(Claim other) {
            int c = Double.compare(volume, other.volume);
            return c < 0 || (c == 0 && by.compareTo(other.by) < 0);
        }
    }

    private final NodeRef self;
    private final CanParams params;
    private final CanPeer peer;
    private final Timers timers;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final KeyValueStore store;

    // state, guarded by "this"
    private final List<Zone> zones = new ArrayList<>();
    private final Map<String, Neighbour> neighbours = new LinkedHashMap<>();
    /** Takeover timers running, by dead node's address. */
    private final Map<String, Timers.Cancellable> takeoverTimers = new HashMap<>();
    /** Entries of zones given up in an overlap contest, to be sent to the node that keeps them. */
    private final Map<NodeRef, List<DhtEntry>> handoffs = new LinkedHashMap<>();
    /** The points of the stored keys (SHA-512 once per key, not once per key and tick). */
    private final Map<String, Point> points = new java.util.concurrent.ConcurrentHashMap<>();
    /** Neighbours that have received a full copy of the entries I own (since my zones last grew). */
    private final Set<String> synced = new HashSet<>();
    /** Nodes a neighbour's list says border me, that I do not know yet: probed at the next tick. */
    private final Map<String, NeighbourInfo> introductions = new LinkedHashMap<>();
    /** Who took over which dead node (kept so that late and conflicting claims resolve the same way). */
    private final Map<String, Claim> claims = new HashMap<>();
    private boolean member;
    private Timers.Cancellable tick;
    private volatile boolean running;
    private long takeovers;

    public CanNode(NodeRef self, CanParams params, CanPeer peer, Timers timers, InstantSource clock, RandomGenerator random,
            KeyValueStore store) {
        this.self = Objects.requireNonNull(self, "self");
        this.params = Objects.requireNonNull(params, "params");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.store = Objects.requireNonNull(store, "store");
    }

    public NodeRef self() {
        return self;
    }

    public CanParams params() {
        return params;
    }

    // ------------------------------------------------------------------ membership

    /** Starts a new space with this node owning all of it. */
    public synchronized void create() {
        zones.clear();
        zones.add(Zone.whole(params.dimensions()));
        neighbours.clear();
        cancelTakeoverTimers();
        member = true;
    }

    /** Joins the space {@code bootstrap} belongs to at a random point (the paper's join). */
    public void join(NodeRef bootstrap) {
        join(bootstrap, Point.random(params.dimensions(), random));
    }

    /**
     * Joins at {@code point}: routes to its owner through the bootstrap, gets half of the owner's
     * zone (or, with uniform partitioning, half of the largest zone around it), and announces
     * itself to its new neighbours.
     *
     * @throws PeerUnavailableException when the bootstrap does not answer
     * @throws LookupFailedException when the point's owner cannot be reached
     */
    public void join(NodeRef bootstrap, Point point) {
        if (bootstrap.address().equals(self.address())) {
            throw new IllegalArgumentException("a node cannot join through itself (" + self.address() + ")");
        }
        if (point.dimensions() != params.dimensions()) {
            throw new IllegalArgumentException("the point has " + point.dimensions() + " dimensions, the space " + params.dimensions());
        }
        for (int attempt = 0; attempt < JOIN_ATTEMPTS; attempt++) {
            LookupResult owner = lookupFrom(bootstrap, point);
            JoinReply reply = peer.join(owner.owner(), self, point, params.uniformPartitioning());
            if (reply.outcome() == JoinReply.Outcome.REDIRECT) {
                NeighbourInfo largest = reply.redirect();
                Zone target = largest.zones().stream().max(Comparator.comparingDouble(Zone::volume)).orElseThrow();
                reply = peer.join(largest.node(), self, target.centre(), false);
            }
            if (reply.outcome() == JoinReply.Outcome.GRANTED) {
                accept(reply);
                return;
            }
            // NOT_OWNER: the zone changed hands while we asked; look again
        }
        throw new LookupFailedException("could not join at " + point + " after " + JOIN_ATTEMPTS + " attempts");
    }

    private void accept(JoinReply reply) {
        List<NeighbourInfo> announce;
        synchronized (this) {
            zones.clear();
            zones.addAll(reply.zones());
            neighbours.clear();
            synced.clear();
            cancelTakeoverTimers();
            reply.entries().forEach(this::storeIfNewer);
            long now = nanos();
            for (NeighbourInfo c : reply.candidates()) {
                if (!c.node().address().equals(self.address()) && abutsMine(c.zones())) {
                    neighbours.put(c.node().address(), new Neighbour(c.node(), c.zones(), now));
                }
            }
            member = true;
            announce = neighbourInfos();
        }
        sendUpdates(announce);
    }

    /** Starts the periodic updates (and with them failure detection and takeover). */
    public void start() {
        synchronized (this) {
            // nothing heard yet is not silence: every neighbour gets a full timeout from now
            long now = nanos();
            neighbours.values().forEach(n -> n.lastHeardNanos = now);
        }
        running = true;
        scheduleTick();
    }

    /** Stops the timers; the node keeps its state (a crash, as far as the others can tell). */
    public synchronized void stop() {
        running = false;
        if (tick != null) {
            tick.cancel();
            tick = null;
        }
        cancelTakeoverTimers();
    }

    /**
     * Leaves gracefully: hands every zone to one neighbour (the one it merges with if any, else
     * the one with the least volume), which tells the others. A node alone keeps the space.
     *
     * @return whether a neighbour took the zones over
     */
    public boolean leave() {
        Handover handover;
        List<Neighbour> order;
        List<DhtEntry> owned;
        synchronized (this) {
            if (!member || neighbours.isEmpty()) {
                stop();
                return false;
            }
            handover = new Handover(self, zones, neighbourInfos());
            owned = ownedEntries();
            order = new ArrayList<>(neighbours.values());
            order.sort(Comparator.comparing((Neighbour n) -> !mergesWithAny(n.zones, zones))
                    .thenComparingDouble(Neighbour::volume).thenComparing(n -> n.node.address()));
        }
        for (Neighbour n : order) {
            try {
                peer.replicate(n.node, owned); // its copies may lag behind the last writes
                peer.handover(n.node, handover);
                synchronized (this) {
                    member = false;
                    zones.clear();
                    neighbours.clear();
                }
                stop();
                return true;
            }
            catch (PeerUnavailableException e) {
                LOG.log(System.Logger.Level.DEBUG, "handover to {0} failed: {1}", n.node.address(), e.getMessage());
            }
        }
        stop();
        return false;
    }

    // ------------------------------------------------------------------ lookups

    /** Routes to the owner of {@code point}, starting here. */
    public LookupResult lookup(Point point) {
        return route(point, handleStep(point), self);
    }

    /** Routes to the owner of {@code point}, starting at {@code start} (a join through a bootstrap). */
    private LookupResult lookupFrom(NodeRef start, Point point) {
        return route(point, peer.step(start, point), start);
    }

    private LookupResult route(Point point, StepReply first, NodeRef start) {
        Set<String> visited = new HashSet<>();
        visited.add(self.address());
        visited.add(start.address());
        List<NodeRef> path = new ArrayList<>();
        if (!start.equals(self)) {
            path.add(start);
        }
        StepReply here = first;
        NodeRef at = start;
        while (!here.owner()) {
            if (path.size() >= params.maxHops()) {
                throw new LookupFailedException("no owner of " + point + " within " + params.maxHops() + " hops");
            }
            StepReply next = null;
            NodeRef chosen = null;
            for (NeighbourInfo candidate : here.next()) {
                if (!visited.add(candidate.node().address())) {
                    continue;
                }
                try {
                    next = candidate.node().equals(self) ? handleStep(point) : peer.step(candidate.node(), point);
                    chosen = candidate.node();
                    break;
                }
                catch (PeerUnavailableException e) {
                    if (candidate.owns(point)) {
                        throw new OwnerUnavailableException(candidate.node());
                    }
                    // route around it: the next-closest neighbour of the same hop
                }
            }
            if (chosen == null) {
                throw new LookupFailedException("no route to " + point + " from " + at.address());
            }
            path.add(chosen);
            here = next;
            at = chosen;
        }
        return new LookupResult(point, at, here.zones(), path.size(), path);
    }

    // ------------------------------------------------------------------ inbound

    /** My zones and neighbours, without side effects (for walking the space). */
    public synchronized Update handleState() {
        return new Update(self, member ? zones : List.of(), member ? neighbourInfos() : List.of());
    }

    /**
     * The space as far as walking neighbours from here reaches, breadth first: at most
     * {@code limit} nodes with their zones (this node first). Nodes that do not answer are left out.
     */
    public List<NeighbourInfo> walk(int limit) {
        List<NeighbourInfo> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        java.util.ArrayDeque<NodeRef> queue = new java.util.ArrayDeque<>();
        queue.add(self);
        seen.add(self.address());
        while (!queue.isEmpty() && found.size() < limit) {
            NodeRef next = queue.poll();
            Update state;
            try {
                state = next.equals(self) ? handleState() : peer.state(next);
            }
            catch (PeerUnavailableException e) {
                continue;
            }
            if (state.zones().isEmpty()) {
                continue;
            }
            found.add(new NeighbourInfo(state.from(), state.zones()));
            for (NeighbourInfo n : state.neighbours()) {
                if (seen.add(n.node().address())) {
                    queue.add(n.node());
                }
            }
        }
        return found;
    }

    /** One greedy step: mine, or my neighbours nearest the point first. */
    public synchronized StepReply handleStep(Point point) {
        for (Zone z : zones) {
            if (z.contains(point)) {
                return new StepReply(true, zones, List.of());
            }
        }
        List<NeighbourInfo> next = new ArrayList<>(neighbours.size());
        for (Neighbour n : neighbours.values()) {
            next.add(n.info());
        }
        next.sort(Comparator.comparingDouble((NeighbourInfo n) -> n.distanceSquared(point))
                .thenComparing(n -> n.node().address()));
        return new StepReply(false, zones, next);
    }

    /**
     * A node asks for a zone at {@code point}: if I own the point, I split my zone (or give away
     * one of several) and the joiner gets the half holding the point; with uniform partitioning
     * a larger neighbour zone is split instead.
     */
    public JoinReply handleJoin(NodeRef joiner, Point point, boolean mayRedirect) {
        JoinReply reply;
        List<NeighbourInfo> notify;
        synchronized (this) {
            Zone zone = zones.stream().filter(z -> z.contains(point)).findFirst().orElse(null);
            if (zone == null || !member) {
                return new JoinReply(JoinReply.Outcome.NOT_OWNER, List.of(), List.of(), null, List.of());
            }
            claims.remove(joiner.address()); // a node back at an address once presumed dead
            if (mayRedirect && zones.size() == 1) {
                Neighbour largest = neighbours.values().stream()
                        .filter(n -> n.zones.stream().anyMatch(z -> z.volume() > zone.volume() && z.splittable()))
                        .max(Comparator.comparingDouble(n -> n.zones.stream().mapToDouble(Zone::volume).max().orElse(0)))
                        .orElse(null);
                if (largest != null) {
                    return new JoinReply(JoinReply.Outcome.REDIRECT, List.of(), List.of(), largest.info(), List.of());
                }
            }
            Zone given;
            if (zones.size() > 1) {
                given = zone;
                zones.remove(zone);
            }
            else {
                if (!zone.splittable()) {
                    return new JoinReply(JoinReply.Outcome.NOT_OWNER, List.of(), List.of(), null, List.of());
                }
                Zone[] halves = zone.split();
                given = halves[0].contains(point) ? halves[0] : halves[1];
                zones.set(0, given == halves[0] ? halves[1] : halves[0]);
            }
            List<NeighbourInfo> candidates = new ArrayList<>(neighbourInfos());
            candidates.add(new NeighbourInfo(self, zones));
            notify = new ArrayList<>(neighbourInfos());
            // my neighbours now: those still abutting my smaller zone, and the joiner
            neighbours.values().removeIf(n -> !abutsMine(n.zones));
            neighbours.put(joiner.address(), new Neighbour(joiner, List.of(given), nanos()));
            List<DhtEntry> moving = store.all().stream().filter(e -> given.contains(pointOf(e))).toList();
            reply = new JoinReply(JoinReply.Outcome.GRANTED, List.of(given), candidates, null, moving);
        }
        // everyone who had me as a neighbour learns my new zone (and drops me if we no longer abut)
        sendUpdates(notify);
        return reply;
    }

    /**
     * A neighbour's periodic update: its zones and its neighbours. The reply is my zones, so the
     * sender learns both that I am alive and whether we still abut (or, after two takeovers of
     * one zone, that we overlap).
     */
    public Update handleUpdate(Update update) {
        Update me;
        boolean changed = false;
        synchronized (this) {
            String from = update.from().address();
            if (from.equals(self.address()) || !member) {
                return new Update(self, member ? zones : List.of(), member ? neighbourInfos() : List.of());
            }
            changed = resolveOverlap(update.from(), update.zones());
            claims.remove(from); // it speaks: whatever was presumed of it, it is alive
            if (abutsMine(update.zones())) {
                Neighbour n = neighbours.get(from);
                if (n == null) {
                    n = new Neighbour(update.from(), update.zones(), nanos());
                    neighbours.put(from, n);
                }
                n.zones = update.zones();
                n.theirNeighbours = update.neighbours();
                n.lastHeardNanos = nanos();
                Timers.Cancellable pending = takeoverTimers.remove(from);
                if (pending != null) {
                    pending.cancel();
                }
            }
            else {
                neighbours.remove(from);
            }
            introduce(update.neighbours());
            me = new Update(self, zones, neighbourInfos());
        }
        if (changed) {
            announce();
        }
        return me;
    }

    /**
     * Two nodes hold the same zone (both took over a dead node whose neighbours did not all
     * hear of the first claim): the one with the smaller volume apart from the contested part
     * keeps it (the lower address on a tie), as both compute alike; the other gives it up.
     *
     * @return whether I gave something up
     */
    private boolean resolveOverlap(NodeRef other, List<Zone> theirs) {
        double contested = 0;
        for (Zone mine : zones) {
            for (Zone z : theirs) {
                if (mine.overlaps(z)) {
                    contested += Math.min(mine.volume(), z.volume()); // canonical zones nest
                }
            }
        }
        if (contested == 0) {
            return false;
        }
        double myRest = volume() - contested;
        double theirRest = theirs.stream().mapToDouble(Zone::volume).sum() - contested;
        boolean iKeep = myRest < theirRest || (myRest == theirRest && self.address().compareTo(other.address()) < 0);
        if (iKeep) {
            return false;
        }
        // what I hold of the contested zones goes to the keeper (it may have missed writes or copies)
        List<DhtEntry> mineThere = store.all().stream().filter(e -> {
            Point p = pointOf(e);
            return theirs.stream().anyMatch(z -> z.contains(p)) && zones.stream().anyMatch(z -> z.contains(p));
        }).toList();
        if (!mineThere.isEmpty()) {
            handoffs.merge(other, mineThere, (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
        theirs.forEach(this::carveOut);
        neighbours.values().removeIf(n -> !abutsMine(n.zones));
        return true;
    }

    private void announce() {
        List<NeighbourInfo> targets;
        Map<NodeRef, List<DhtEntry>> give;
        synchronized (this) {
            targets = neighbourInfos();
            give = new LinkedHashMap<>(handoffs);
            handoffs.clear();
        }
        give.forEach((to, entries) -> {
            try {
                peer.replicate(to, entries);
            }
            catch (PeerUnavailableException e) {
                // the keeper died meanwhile: its own takeover will sort the zone out
            }
        });
        sendUpdates(targets);
    }

    /**
     * Another neighbour of a dead node claims its zones. The first claim wins unless this node
     * already claimed them with a smaller volume (then it keeps them and rejects).
     */
    public TakeoverReply handleTakeover(Takeover takeover) {
        String dead = takeover.dead().address();
        Claim theirs = new Claim(takeover.from().address(), takeover.volume());
        List<NeighbourInfo> announce = null;
        TakeoverReply reply;
        synchronized (this) {
            Claim known = claims.get(dead);
            if (known != null && !known.by().equals(theirs.by()) && known.beats(theirs)) {
                return new TakeoverReply(false, new NeighbourInfo(self, zones));
            }
            if (known != null && known.by().equals(self.address()) && !theirs.by().equals(self.address())) {
                // I had taken the zones over, but their claim is better: give them up
                takeover.deadZones().forEach(this::carveOut);
                announce = neighbourInfos();
            }
            claims.put(dead, theirs);
            Timers.Cancellable pending = takeoverTimers.remove(dead);
            if (pending != null) {
                pending.cancel();
            }
            neighbours.remove(dead);
            String from = takeover.from().address();
            if (!from.equals(self.address()) && abutsMine(takeover.fromZones())) {
                Neighbour n = neighbours.computeIfAbsent(from, a -> new Neighbour(takeover.from(), takeover.fromZones(), nanos()));
                n.zones = takeover.fromZones();
                n.lastHeardNanos = nanos();
            }
            reply = new TakeoverReply(true, new NeighbourInfo(self, zones));
        }
        if (announce != null) {
            sendUpdates(announce);
        }
        return reply;
    }

    /** A neighbour leaves and gives me its zones: I take them over at once, as after a crash with the best claim. */
    public void handleHandover(Handover handover) {
        Neighbour leaver = new Neighbour(handover.from(), handover.zones(), nanos());
        leaver.theirNeighbours = handover.neighbours();
        synchronized (this) {
            neighbours.put(handover.from().address(), leaver);
        }
        takeOver(handover.from().address(), 0.0);
    }

    // ------------------------------------------------------------------ key-value store

    /** The point a key lives at in this space. */
    public Point pointOf(String key) {
        return Point.ofKey(key, params.dimensions());
    }

    /** A stored entry's point, hashed once (every tick looks at every entry's point). */
    private Point pointOf(DhtEntry entry) {
        return points.computeIfAbsent(entry.key(), this::pointOf);
    }

    /** Stores the value at the owner of the key's point, which copies it to its neighbours. */
    public PutResult put(String key, byte[] value, String contentType) {
        return atOwner(key, owner -> {
            PutReply reply = owner.owner().equals(self) ? handlePut(key, value, contentType) : peer.put(owner.owner(), key, value, contentType);
            return new PutResult(owner, reply.created(), reply.version());
        });
    }

    /** Reads the key at the owner of its point. */
    public GetResult get(String key) {
        return atOwner(key, owner -> new GetResult(owner, owner.owner().equals(self) ? handleGet(key) : peer.get(owner.owner(), key)));
    }

    /** Deletes the key at the owner of its point (a tombstone, copied like a value). */
    public DeleteResult delete(String key) {
        return atOwner(key, owner -> new DeleteResult(owner, owner.owner().equals(self) ? handleDelete(key) : peer.delete(owner.owner(), key)));
    }

    /** Routes to the key's owner and runs the call there; again if the zone moved meanwhile; fails fast if the owner is dead. */
    private <T> T atOwner(String key, java.util.function.Function<LookupResult, T> call) {
        Point p = pointOf(key);
        NotOwnerException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            LookupResult owner = lookup(p);
            try {
                return call.apply(owner);
            }
            catch (NotOwnerException e) {
                last = e;
            }
            catch (PeerUnavailableException e) {
                throw new OwnerUnavailableException(owner.owner());
            }
        }
        throw last;
    }

    /** Put, as the owner: a new version, stored here and copied to every neighbour. */
    public PutReply handlePut(String key, byte[] value, String contentType) {
        DhtEntry entry;
        boolean created;
        List<NeighbourInfo> copies;
        synchronized (this) {
            requireOwner(key);
            Optional<DhtEntry> existing = store.get(key);
            created = existing.isEmpty() || existing.get().deleted();
            entry = new DhtEntry(key, value, contentType, nextVersion(existing.map(DhtEntry::version).orElse(0L)), false);
            store.put(entry);
            copies = neighbourInfos();
        }
        replicateTo(copies, List.of(entry));
        return new PutReply(created, entry.version());
    }

    /** Get, as the owner. */
    public synchronized Optional<DhtEntry> handleGet(String key) {
        requireOwner(key);
        return store.get(key).filter(e -> !e.deleted());
    }

    /** Delete, as the owner: a tombstone, copied to every neighbour. */
    public boolean handleDelete(String key) {
        DhtEntry tombstone;
        List<NeighbourInfo> copies;
        synchronized (this) {
            requireOwner(key);
            Optional<DhtEntry> existing = store.get(key).filter(e -> !e.deleted());
            if (existing.isEmpty()) {
                return false;
            }
            tombstone = DhtEntry.tombstone(key, nextVersion(existing.get().version()));
            store.put(tombstone);
            copies = neighbourInfos();
        }
        replicateTo(copies, List.of(tombstone));
        return true;
    }

    /** Copies from a neighbour (the owner): each kept if newer than mine. */
    public synchronized void handleReplicate(List<DhtEntry> entries) {
        entries.forEach(this::storeIfNewer);
    }

    private void requireOwner(String key) {
        Point p = pointOf(key);
        if (!member || zones.stream().noneMatch(z -> z.contains(p))) {
            throw new NotOwnerException(self.address() + " does not own " + p + " (key " + key + ")");
        }
    }

    private void storeIfNewer(DhtEntry entry) {
        Optional<DhtEntry> mine = store.get(entry.key());
        if (mine.isEmpty() || entry.isNewerThan(mine.get())) {
            store.put(entry);
        }
    }

    /** Versions are milliseconds of the clock, and always above the previous one. */
    private long nextVersion(long previous) {
        return Math.max(previous + 1, clock.millis());
    }

    private void replicateTo(List<NeighbourInfo> targets, List<DhtEntry> entries) {
        for (NeighbourInfo n : targets) {
            try {
                peer.replicate(n.node(), entries);
            }
            catch (PeerUnavailableException e) {
                // it gets everything at its next full sync, or its zone is taken over
            }
        }
    }

    /** The entries whose points lie in my zones (tombstones included). */
    public synchronized List<DhtEntry> ownedEntries() {
        return store.all().stream().filter(e -> zones.stream().anyMatch(z -> z.contains(pointOf(e)))).toList();
    }

    /**
     * Each tick: a neighbour new to me gets a copy of everything I own; copies I hold for no one
     * (their point is neither mine nor a neighbour's) are dropped, and so are old tombstones.
     */
    private void syncReplicas() {
        List<NeighbourInfo> toSync = new ArrayList<>();
        List<DhtEntry> owned;
        synchronized (this) {
            if (!member) {
                return;
            }
            synced.retainAll(neighbours.keySet());
            for (Neighbour n : neighbours.values()) {
                if (!synced.contains(n.node.address())) {
                    toSync.add(n.info());
                }
            }
            owned = toSync.isEmpty() ? List.of() : ownedEntries();
            long expired = clock.millis() - params.tombstoneTtl().toMillis();
            for (DhtEntry e : store.all()) {
                Point p = pointOf(e);
                boolean mine = zones.stream().anyMatch(z -> z.contains(p));
                boolean aNeighbours = neighbours.values().stream().anyMatch(n -> n.zones.stream().anyMatch(z -> z.contains(p)));
                if ((!mine && !aNeighbours) || (e.deleted() && e.version() < expired)) {
                    store.remove(e.key());
                    points.remove(e.key());
                }
            }
        }
        for (NeighbourInfo n : toSync) {
            try {
                peer.replicate(n.node(), owned);
                synchronized (this) {
                    synced.add(n.node().address());
                }
            }
            catch (PeerUnavailableException e) {
                // next tick
            }
        }
    }

    /** How many entries this node holds, as owner and as copies (tombstones excluded). */
    public synchronized int storedKeys() {
        return (int) store.all().stream().filter(e -> !e.deleted()).count();
    }

    /** How many entries this node owns (tombstones excluded). */
    public synchronized int ownedKeys() {
        return (int) ownedEntries().stream().filter(e -> !e.deleted()).count();
    }

    // ------------------------------------------------------------------ maintenance

    private void scheduleTick() {
        if (!running) {
            return;
        }
        synchronized (this) {
            tick = timers.schedule(Jitter.around(params.updateInterval(), random), this::tick);
        }
    }

    /** Sends the update to every neighbour, and starts takeover timers for the silent ones. */
    void tick() {
        if (!running) {
            return;
        }
        try {
            List<NeighbourInfo> targets;
            synchronized (this) {
                if (!member) {
                    return;
                }
                targets = neighbourInfos();
            }
            // the replies count as hearing from them
            sendUpdates(targets);
            probeIntroductions();
            syncReplicas();
            synchronized (this) {
                long now = nanos();
                for (Neighbour n : neighbours.values()) {
                    if (now - n.lastHeardNanos > params.neighbourTimeout().toNanos() && !takeoverTimers.containsKey(n.node.address())) {
                        scheduleTakeover(n);
                    }
                }
            }
        }
        catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "CAN maintenance failed at " + self.address(), e);
        }
        finally {
            scheduleTick();
        }
    }

    /**
     * Probes the nodes introduced by neighbours' lists with an update: one that answers and
     * borders me becomes a neighbour (and a double claim on a zone comes to light); one that does
     * not answer and borders me is suspected like a silent neighbour.
     */
    private void probeIntroductions() {
        List<NeighbourInfo> probe;
        synchronized (this) {
            probe = new ArrayList<>(introductions.values());
            introductions.clear();
        }
        for (NeighbourInfo n : probe) {
            synchronized (this) {
                if (!member || neighbours.containsKey(n.node().address()) || claims.containsKey(n.node().address())) {
                    continue;
                }
                // joined the table now, so that the reply is taken like any neighbour's
                neighbours.put(n.node().address(), new Neighbour(n.node(), n.zones(), nanos()));
            }
            Update update;
            synchronized (this) {
                update = new Update(self, zones, neighbourInfos());
            }
            Update reply;
            try {
                reply = peer.update(n.node(), update);
            }
            catch (PeerUnavailableException e) {
                synchronized (this) {
                    Neighbour suspect = neighbours.get(n.node().address());
                    if (suspect != null && running && !takeoverTimers.containsKey(n.node().address())) {
                        suspect.lastHeardNanos = nanos() - params.neighbourTimeout().toNanos() - 1;
                        scheduleTakeover(suspect);
                    }
                }
                continue;
            }
            if (absorbReply(reply)) {
                announce();
            }
        }
    }

    /** The paper's takeover timer: in proportion to my volume (here over the dead node's). */
    private void scheduleTakeover(Neighbour dead) {
        double ratio = volume() / Math.max(dead.volume(), Double.MIN_VALUE);
        ratio = Math.max(1.0 / 8, Math.min(8, ratio));
        Duration delay = Duration.ofNanos((long) (params.takeoverTimer().toNanos() * ratio));
        double myVolume = volume();
        String address = dead.node.address();
        takeoverTimers.put(address, timers.schedule(delay, () -> takeOver(address, myVolume)));
    }

    /**
     * My takeover timer for a silent neighbour fired (or it handed its zones to me): the zones are
     * mine, its other neighbours are told, and any of them that does not answer is suspected in turn.
     */
    private void takeOver(String dead, double claimVolume) {
        Neighbour gone;
        List<Zone> deadZones;
        Set<String> told = new HashSet<>();
        List<NeighbourInfo> toTell = new ArrayList<>();
        synchronized (this) {
            takeoverTimers.remove(dead);
            gone = neighbours.get(dead);
            Claim existing = claims.get(dead);
            if (gone == null || !member || (existing != null && !existing.by().equals(self.address()))) {
                return;
            }
            if (claimVolume > 0 && nanos() - gone.lastHeardNanos <= params.neighbourTimeout().toNanos()) {
                return; // heard from it again meanwhile (a handover, volume 0, needs no silence)
            }
            neighbours.remove(dead);
            deadZones = gone.zones;
            claims.put(dead, new Claim(self.address(), claimVolume));
            for (Zone z : deadZones) {
                if (!zones.contains(z)) {
                    zones.add(z);
                }
            }
            mergeZones();
            synced.clear(); // I own more now: every neighbour gets the lot again
            takeovers++;
            for (NeighbourInfo n : gone.theirNeighbours) {
                if (!n.node().address().equals(self.address()) && !n.node().address().equals(dead) && told.add(n.node().address())) {
                    toTell.add(n);
                }
            }
        }
        Takeover claim;
        synchronized (this) {
            claim = new Takeover(self, zones, gone.node, deadZones, claimVolume);
        }
        for (NeighbourInfo n : toTell) {
            try {
                TakeoverReply reply = peer.takeover(n.node(), claim);
                synchronized (this) {
                    if (!reply.accepted()) {
                        // a better claim was there first: the zones are its claimant's. Forget my own
                        // claim, but record none in the replier's name: the replier need not be the
                        // claimant, and an unbeatable claim in its name made this node refuse the real
                        // claimant's, which then gave the zones up too, leaving them to nobody
                        deadZones.forEach(this::carveOut);
                        Claim mine = claims.get(dead);
                        if (mine != null && mine.by().equals(self.address())) {
                            claims.remove(dead);
                        }
                    }
                    if (abutsMine(reply.replier().zones())) {
                        Neighbour nb = neighbours.computeIfAbsent(n.node().address(),
                                a -> new Neighbour(n.node(), reply.replier().zones(), nanos()));
                        nb.zones = reply.replier().zones();
                        nb.lastHeardNanos = nanos();
                    }
                }
            }
            catch (PeerUnavailableException e) {
                // that neighbour of the dead node is gone too: it borders me now, so suspect it
                synchronized (this) {
                    if (member && abutsMine(n.zones()) && !neighbours.containsKey(n.node().address())
                            && !claims.containsKey(n.node().address())) {
                        Neighbour suspect = new Neighbour(n.node(), n.zones(), nanos() - params.neighbourTimeout().toNanos() - 1);
                        neighbours.put(n.node().address(), suspect);
                        if (running) {
                            scheduleTakeover(suspect);
                        }
                    }
                }
            }
        }
        List<NeighbourInfo> announce;
        synchronized (this) {
            neighbours.values().removeIf(nb -> !abutsMine(nb.zones));
            announce = neighbourInfos();
        }
        sendUpdates(announce);
    }

    /** Merges zones that are the two halves of one split (after a takeover or a handover). */
    private void mergeZones() {
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < zones.size(); i++) {
                for (int j = i + 1; j < zones.size(); j++) {
                    Optional<Zone> parent = zones.get(i).mergeWith(zones.get(j));
                    if (parent.isPresent()) {
                        zones.remove(j);
                        zones.set(i, parent.get());
                        merged = true;
                        break outer;
                    }
                }
            }
        }
    }

    /** Gives up {@code gone}: one of my zones, part of one (if it was merged in), or a zone enclosing some of mine. */
    private void carveOut(Zone gone) {
        List<Zone> kept = new ArrayList<>();
        for (Zone z : zones) {
            List<Zone> pieces = new ArrayList<>(List.of(z));
            while (!pieces.isEmpty()) {
                Zone q = pieces.remove(pieces.size() - 1);
                if (!q.overlaps(gone)) {
                    kept.add(q);
                }
                else if (!gone.encloses(q)) {
                    pieces.addAll(List.of(q.split()));
                }
            }
        }
        zones.clear();
        zones.addAll(kept);
    }

    private void sendUpdates(List<NeighbourInfo> targets) {
        Update update;
        synchronized (this) {
            if (!member) {
                return;
            }
            update = new Update(self, zones, neighbourInfos());
        }
        for (NeighbourInfo n : targets) {
            if (n.node().address().equals(self.address())) {
                continue;
            }
            Update reply;
            try {
                reply = peer.update(n.node(), update);
            }
            catch (PeerUnavailableException e) {
                continue; // silence is what the takeover timers are for
            }
            if (absorbReply(reply)) {
                announce();
                return;
            }
        }
    }

    /**
     * What an update's reply tells: the neighbour is alive, its zones (we may no longer abut, or
     * overlap after a double takeover), and its neighbours (some may border me unknown).
     *
     * @return whether I gave up a contested zone (and should announce my new zones)
     */
    private synchronized boolean absorbReply(Update reply) {
        if (!member) {
            return false;
        }
        String a = reply.from().address();
        boolean gaveUp = resolveOverlap(reply.from(), reply.zones());
        Neighbour known = neighbours.get(a);
        if (known != null) {
            if (reply.zones().isEmpty() || !abutsMine(reply.zones())) {
                neighbours.remove(a); // its zones changed since I last heard: not neighbours (any more)
            }
            else {
                known.zones = reply.zones();
                known.theirNeighbours = reply.neighbours();
                known.lastHeardNanos = nanos();
                Timers.Cancellable pending = takeoverTimers.remove(a);
                if (pending != null) {
                    pending.cancel();
                }
            }
        }
        introduce(reply.neighbours());
        return gaveUp;
    }

    /** Neighbours of a neighbour that border me but are unknown here: probed at the next tick. */
    private void introduce(List<NeighbourInfo> theirs) {
        for (NeighbourInfo other : theirs) {
            String a = other.node().address();
            if (!a.equals(self.address()) && !neighbours.containsKey(a) && !claims.containsKey(a)
                    && (abutsMine(other.zones()) || overlapsMine(other.zones()))) {
                introductions.put(a, other);
            }
        }
    }

    // ------------------------------------------------------------------ state

    private boolean abutsMine(List<Zone> theirs) {
        for (Zone mine : zones) {
            for (Zone z : theirs) {
                if (mine.isNeighbour(z)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean overlapsMine(List<Zone> theirs) {
        for (Zone mine : zones) {
            for (Zone z : theirs) {
                if (mine.overlaps(z)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean mergesWithAny(List<Zone> a, List<Zone> b) {
        for (Zone x : a) {
            for (Zone y : b) {
                if (x.mergeWith(y).isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<NeighbourInfo> neighbourInfos() {
        List<NeighbourInfo> list = new ArrayList<>(neighbours.size());
        for (Neighbour n : neighbours.values()) {
            list.add(n.info());
        }
        return list;
    }

    private void cancelTakeoverTimers() {
        takeoverTimers.values().forEach(Timers.Cancellable::cancel);
        takeoverTimers.clear();
    }

    private long nanos() {
        Duration d = Duration.between(java.time.Instant.EPOCH, clock.instant());
        return d.toNanos();
    }

    /** This node's zones (one, or several after a takeover). */
    public synchronized List<Zone> zones() {
        return List.copyOf(zones);
    }

    /** This node's neighbours and their zones as last heard. */
    public synchronized List<NeighbourInfo> neighbours() {
        return neighbourInfos();
    }

    /** The total volume of this node's zones. */
    public synchronized double volume() {
        return zones.stream().mapToDouble(Zone::volume).sum();
    }

    /** Whether this node owns part of a space (created one or joined one). */
    public synchronized boolean isMember() {
        return member;
    }

    /** How many dead (or leaving) neighbours' zones this node has taken over. */
    public synchronized long takeovers() {
        return takeovers;
    }

    /** Neighbours presumed dead whose takeover timers are running. */
    public synchronized Set<String> pendingTakeovers() {
        return Set.copyOf(takeoverTimers.keySet());
    }
}
