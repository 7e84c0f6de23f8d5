package org.p2plab.chord.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

import org.p2plab.chord.protocol.Messages.NodeState;
import org.p2plab.chord.protocol.Messages.PutReply;
import org.p2plab.chord.protocol.Messages.StepReply;
import org.p2plab.chord.protocol.Messages.SyncReply;
import org.p2plab.chord.protocol.Messages.SyncRequest;
import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.NodeRef;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.kv.KeyValueStore;

/**
 * One Chord node, as the ToN 2003 paper specifies it (figures 5 and 6, section IV.E): a finger
 * table of m = 160 entries, a successor list of r entries, periodic stabilize / fix_fingers /
 * check_predecessor with randomized periods, and on top a key-value store replicated on each
 * key's successor and the next {@code replicas - 1} successors.
 * <p>
 * Plain Java: it is driven by its timers and by the inbound calls (the {@code handle*} methods)
 * and calls other nodes only through {@link ChordPeer}, so the same code runs as an HTTP
 * service and in the simulator. Lookups are iterative: this node walks the path itself, so it
 * can report every hop and route around nodes that do not answer.
 * <p>
 * Thread-safe: routing state is guarded by this object's monitor, which is never held during a
 * call to another node.
 */
public final class ChordNode {

    private static final System.Logger LOG = System.getLogger(ChordNode.class.getName());
    private static final int MAX_STEPS = 2 * NodeId.BITS;
    private static final int MAX_NEXT_HOPS = 24;
    private static final int KV_ATTEMPTS = 3;

    private final NodeRef self;
    private final ChordParams params;
    private final ChordPeer peer;
    private final Timers timers;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final KeyValueStore store;

    // routing state, guarded by "this"
    private NodeRef predecessor;
    private final List<NodeRef> successors = new ArrayList<>();
    private final NodeRef[] fingers = new NodeRef[NodeId.BITS];
    private int nextFinger;

    // replica bookkeeping: when the owner last confirmed each replica we hold
    private final Map<String, Long> confirmedAt = new HashMap<>();
    /** The pending timer of each periodic task (stabilize, fix_fingers, check_predecessor, sync). */
    private final Timers.Cancellable[] scheduled = new Timers.Cancellable[4];
    private volatile boolean running;
    private long lastVersion;

    public ChordNode(NodeRef self, ChordParams params, ChordPeer peer, Timers timers, InstantSource clock,
            RandomGenerator random, KeyValueStore store) {
        this.self = Objects.requireNonNull(self, "self");
        this.params = Objects.requireNonNull(params, "params");
        this.peer = Objects.requireNonNull(peer, "peer");
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.store = Objects.requireNonNull(store, "store");
        create();
    }

    // ------------------------------------------------------------------ membership

    /** Starts a new ring with this node alone (the paper's n.create()). */
    public synchronized void create() {
        predecessor = null;
        successors.clear();
        successors.add(self);
        Arrays.fill(fingers, self);
        nextFinger = 0;
    }

    /**
     * Joins the ring that {@code bootstrap} belongs to (the paper's n.join(n')): finds this
     * node's successor through it, takes the successor's list, pulls the entries this node now
     * owns, and notifies the successor at once rather than waiting for the next stabilize.
     *
     * @throws IllegalArgumentException when the bootstrap is this node
     * @throws PeerUnavailableException when the bootstrap or the successor does not answer
     */
    public void join(NodeRef bootstrap) {
        if (bootstrap.address().equals(self.address()) || bootstrap.id().equals(self.id())) {
            throw new IllegalArgumentException("a node cannot join through itself (" + self.address() + ")");
        }
        LookupResult found = lookupFrom(bootstrap, self.id());
        NodeRef successor = found.owner();
        if (successor.equals(self)) {
            // a restart: the ring still lists this node; its successor is the next candidate
            successor = found.ownerCandidates().stream().filter(n -> !n.equals(self)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the ring knows only this node"));
        } else if (successor.id().equals(self.id())) {
            throw new IllegalArgumentException("the ring already has a node with this node's id " + self.id().toShortHex()
                    + " at " + successor.address());
        }
        NodeState state = peer.state(successor);
        synchronized (this) {
            predecessor = null;
            successors.clear();
            successors.add(successor);
            for (NodeRef s : state.successors()) {
                if (successors.size() >= params.successorListSize()) {
                    break;
                }
                if (!s.id().equals(self.id()) && !successors.contains(s)) {
                    successors.add(s);
                }
            }
            Arrays.fill(fingers, successor);
            nextFinger = 0;
        }
        for (DhtEntry entry : peer.transfer(successor, self)) {
            storeIfNewer(entry);
        }
        peer.notify(successor, self);
    }

    /**
     * Leaves gracefully: hands every entry this node owns to its successor, tells the successor
     * its new predecessor and the predecessor its new successors, and becomes a ring of one.
     * Entries are dropped locally only once the successor has taken them.
     */
    public void leave() {
        NodeRef pred;
        List<NodeRef> succs;
        synchronized (this) {
            pred = predecessor;
            succs = List.copyOf(successors);
        }
        NodeRef successor = succs.getFirst();
        if (successor.equals(self)) {
            return;
        }
        boolean handedOver = false;
        List<DhtEntry> owned = pred == null ? store.all() : entriesIn(pred.id(), self.id());
        try {
            peer.replicate(successor, owned);
            peer.leaving(successor, self, pred, List.of());
            handedOver = true;
        } catch (PeerUnavailableException e) {
            // the successor is gone; its own successors still hold replicas of our keys
        }
        if (pred != null && !pred.equals(self)) {
            List<NodeRef> newSuccessors = succs.stream().filter(n -> !n.equals(self)).toList();
            try {
                peer.leaving(pred, self, null, newSuccessors);
            } catch (PeerUnavailableException e) {
                // it will notice through stabilize
            }
        }
        if (handedOver) {
            for (KeyValueStore.KeyVersion e : store.versions()) {
                store.remove(e.key());
            }
            synchronized (this) {
                confirmedAt.clear();
            }
        }
        create();
    }

    /** Starts the periodic maintenance: stabilize, fix_fingers, check_predecessor, replica sync. */
    public void start() {
        synchronized (this) {
            if (running) {
                return;
            }
            running = true;
        }
        every(0, params.stabilizeInterval(), this::stabilize);
        every(1, params.fixFingersInterval(), this::fixFingers);
        every(2, params.checkPredecessorInterval(), this::checkPredecessor);
        every(3, params.replicationInterval(), this::maintainReplicas);
    }

    /** Stops the periodic maintenance (the node still answers calls). */
    public void stop() {
        List<Timers.Cancellable> toCancel = new ArrayList<>();
        synchronized (this) {
            running = false;
            for (int i = 0; i < scheduled.length; i++) {
                if (scheduled[i] != null) {
                    toCancel.add(scheduled[i]);
                    scheduled[i] = null;
                }
            }
        }
        toCancel.forEach(Timers.Cancellable::cancel);
    }

    public boolean isRunning() {
        return running;
    }

    /** Runs a task now and then, each period drawn around the mean, re-arming after each run. */
    private void every(int slot, Duration mean, Runnable task) {
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            if (!running) {
                return;
            }
            try {
                task.run();
            } catch (PeerUnavailableException | LookupFailedException e) {
                // a neighbour vanished mid-round: the next round routes around it
            } catch (RuntimeException e) {
                // A round that was already running when the node stopped may find its store or
                // transport closed: expected, and the node is gone. Anything else is a bug; it is
                // logged and the next round runs anyway (one bad round must not stop maintenance).
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, "Chord node " + self.id().toShortHex()
                            + ": a periodic round failed; the next one runs as scheduled", e);
                }
            } finally {
                arm(slot, mean, tick[0]);
            }
        };
        arm(slot, mean, tick[0]);
    }

    private synchronized void arm(int slot, Duration mean, Runnable tick) {
        if (running) {
            scheduled[slot] = timers.schedule(Jitter.around(mean, random), tick);
        }
    }

    // ------------------------------------------------------------------ maintenance (figure 6)

    /**
     * Verifies the immediate successor and tells it about this node; refreshes the successor
     * list from the successor's. A successor that does not answer is dropped and the next one
     * in the list takes over.
     */
    public void stabilize() {
        while (true) {
            NodeRef current = successor();
            NodeRef successor = current;
            NodeState state;
            try {
                state = stateOf(successor);
            } catch (PeerUnavailableException e) {
                suspect(successor);
                if (successor().equals(self)) {
                    return;
                }
                continue;
            }
            NodeRef x = state.predecessor();
            if (x != null && x.id().isBetweenOpen(self.id(), successor.id()) && !x.equals(self)) {
                try {
                    NodeState closer = stateOf(x);
                    successor = x;
                    state = closer;
                } catch (PeerUnavailableException e) {
                    // the successor's predecessor is dead: keep the successor
                }
            }
            if (!adoptSuccessor(current, successor, state.successors())) {
                return; // a join, leave or another round changed the successor meanwhile: theirs is newer
            }
            if (!successor.equals(self)) {
                peer.notify(successor, self);
            } else {
                handleNotify(self);
            }
            return;
        }
    }

    private synchronized boolean adoptSuccessor(NodeRef expected, NodeRef successor, List<NodeRef> itsSuccessors) {
        if (!successors.getFirst().equals(expected)) {
            return false;
        }
        successors.clear();
        successors.add(successor);
        for (NodeRef s : itsSuccessors) {
            if (successors.size() >= params.successorListSize()) {
                break;
            }
            if (s.equals(self)) {
                break; // the list wrapped around the ring
            }
            if (!successors.contains(s)) {
                successors.add(s);
            }
        }
        fingers[0] = successor;
        return true;
    }

    /**
     * Refreshes one distinct finger: looks up the successor of the next finger's start and sets
     * every following finger whose start falls before that node to it too (they share it), so a
     * full refresh takes about log N lookups rather than 160.
     */
    public void fixFingers() {
        int i;
        synchronized (this) {
            i = nextFinger;
        }
        NodeId start = self.id().plusPowerOfTwo(i);
        NodeRef node;
        if (start.isBetweenOpenClosed(self.id(), successor().id())) {
            node = successor();
        } else {
            node = lookup(start).owner();
        }
        synchronized (this) {
            int j = i;
            while (j < NodeId.BITS && self.id().plusPowerOfTwo(j).isBetweenOpenClosed(self.id(), node.id())
                    && !node.equals(self)) {
                fingers[j] = node;
                j++;
            }
            if (j == i) {
                fingers[i] = node;
                j = i + 1;
            }
            nextFinger = j >= NodeId.BITS ? 0 : j;
        }
    }

    /** Clears the predecessor when it does not answer. */
    public void checkPredecessor() {
        NodeRef pred;
        synchronized (this) {
            pred = predecessor;
        }
        if (pred == null || pred.equals(self)) {
            return;
        }
        try {
            peer.ping(pred);
        } catch (PeerUnavailableException e) {
            synchronized (this) {
                if (pred.equals(predecessor)) {
                    predecessor = null;
                }
            }
        }
    }

    /**
     * Forgets a node that did not answer: drops it from the successor list and the fingers, and
     * as predecessor. Later rounds of stabilize and fix_fingers fill the holes.
     */
    public synchronized void suspect(NodeRef dead) {
        if (dead.equals(self)) {
            return;
        }
        successors.remove(dead);
        if (successors.isEmpty()) {
            successors.add(firstLiveFingerOrSelf(dead));
        }
        NodeRef replacement = successors.getFirst();
        for (int i = 0; i < fingers.length; i++) {
            if (dead.equals(fingers[i])) {
                fingers[i] = i == 0 ? replacement : fingers[i - 1];
            }
        }
        if (dead.equals(predecessor)) {
            predecessor = null;
        }
    }

    private NodeRef firstLiveFingerOrSelf(NodeRef dead) {
        for (NodeRef f : fingers) {
            if (f != null && !f.equals(dead) && !f.equals(self)) {
                return f;
            }
        }
        return self;
    }

    // ------------------------------------------------------------------ lookups (figure 5, iterative)

    /** Finds the successor of {@code id}, starting at this node. */
    public LookupResult lookup(NodeId id) {
        return lookupFrom(self, id);
    }

    /**
     * An iterative find_successor for {@code id} whose first step is taken at {@code start}.
     * Each step asks a node for either the owner candidates (it is the id's predecessor) or its
     * closest preceding nodes; nodes that do not answer are skipped and, when a node's
     * candidates are exhausted, the walk backs up to the previous node's next candidate.
     *
     * @throws LookupFailedException when no live path or no live owner could be found
     */
    public LookupResult lookupFrom(NodeRef start, NodeId id) {
        Instant began = clock.instant();
        List<NodeRef> path = new ArrayList<>();
        Set<NodeRef> dead = new HashSet<>();
        Set<NodeRef> visited = new HashSet<>();
        Deque<Frame> frames = new ArrayDeque<>();
        int[] timeouts = {0};

        StepReply reply = stepAt(start, id); // an unreachable first node leaves nothing to route around
        NodeRef at = start;
        for (int steps = 0; steps < MAX_STEPS; steps++) {
            path.add(at);
            visited.add(at);
            if (reply.done()) {
                NodeRef owner = firstLive(reply.nodes(), at, dead, timeouts);
                if (owner != null) {
                    return new LookupResult(id, owner, reply.nodes(), List.copyOf(path), path.size() - 1, timeouts[0],
                            elapsedMicros(began));
                }
                path.removeLast(); // every candidate owner is dead: a dead end, back up
            } else {
                frames.push(new Frame(at, reply.nodes().iterator(), reply.successors()));
            }
            StepReply next = null;
            while (next == null && !frames.isEmpty()) {
                Frame frame = frames.peek();
                if (!frame.nextHops.hasNext()) {
                    frames.pop();
                    // every next hop of this node is dead: its first live successor past the id owns it
                    List<NodeRef> past = frame.successors.stream()
                            .filter(s -> !s.id().isBetweenOpen(frame.node.id(), id)).toList();
                    NodeRef owner = firstLive(past, frame.node, dead, timeouts);
                    if (owner != null) {
                        return new LookupResult(id, owner, past, List.copyOf(path), path.size() - 1, timeouts[0],
                                elapsedMicros(began));
                    }
                    path.remove(frame.node);
                    continue;
                }
                NodeRef candidate = frame.nextHops.next();
                if (dead.contains(candidate) || visited.contains(candidate)) {
                    continue;
                }
                try {
                    next = stepAt(candidate, id);
                    at = candidate;
                } catch (PeerUnavailableException e) {
                    dead.add(candidate);
                    timeouts[0]++;
                    suspect(candidate);
                }
            }
            if (next == null) {
                throw new LookupFailedException("no live route to the successor of " + id.toShortHex()
                        + " (" + dead.size() + " nodes did not answer)");
            }
            reply = next;
        }
        throw new LookupFailedException("lookup for " + id.toShortHex() + " did not converge in " + MAX_STEPS + " steps");
    }

    private record Frame(NodeRef node, Iterator<NodeRef> nextHops, List<NodeRef> successors) {
    }

    /** The first of the candidates that answers; the node that named them is known to be alive. */
    private NodeRef firstLive(List<NodeRef> candidates, NodeRef namedBy, Set<NodeRef> dead, int[] timeouts) {
        for (NodeRef candidate : candidates) {
            if (dead.contains(candidate)) {
                continue;
            }
            if (candidate.equals(namedBy) || candidate.equals(self) || isAlive(candidate)) {
                return candidate;
            }
            dead.add(candidate);
            timeouts[0]++;
            suspect(candidate);
        }
        return null;
    }

    private StepReply stepAt(NodeRef node, NodeId id) {
        return node.equals(self) ? handleFindSuccessorStep(id) : peer.findSuccessorStep(node, id);
    }

    private boolean isAlive(NodeRef node) {
        try {
            peer.ping(node);
            return true;
        } catch (PeerUnavailableException e) {
            return false;
        }
    }

    private long elapsedMicros(Instant began) {
        return Math.max(0, Duration.between(began, clock.instant()).toNanos() / 1000);
    }

    /**
     * Inbound: one step of someone's iterative lookup. Answers the owner candidates when this
     * node owns {@code id} or is its predecessor, else its closest preceding nodes, best first.
     */
    public synchronized StepReply handleFindSuccessorStep(NodeId id) {
        NodeRef successor = successors.getFirst();
        if (successor.equals(self)) {
            return new StepReply(true, List.of(self), List.of(self));
        }
        if (predecessor != null && id.isBetweenOpenClosed(predecessor.id(), self.id())) {
            List<NodeRef> owners = new ArrayList<>();
            owners.add(self);
            owners.addAll(successors);
            return new StepReply(true, owners, successors);
        }
        if (id.isBetweenOpenClosed(self.id(), successor.id())) {
            return new StepReply(true, successors, successors);
        }
        return new StepReply(false, closestPrecedingNodes(id), successors);
    }

    /**
     * The paper's closest_preceding_node, extended as section IV.E.3 suggests to the successor
     * list, and returning every distinct candidate in (n, id), closest to id first, so that the
     * caller can fall back to the next best when one does not answer.
     */
    private List<NodeRef> closestPrecedingNodes(NodeId id) {
        LinkedHashSet<NodeRef> candidates = new LinkedHashSet<>();
        for (int i = fingers.length - 1; i >= 0; i--) {
            NodeRef f = fingers[i];
            if (f != null && f.id().isBetweenOpen(self.id(), id)) {
                candidates.add(f);
            }
        }
        for (NodeRef s : successors) {
            if (s.id().isBetweenOpen(self.id(), id)) {
                candidates.add(s);
            }
        }
        List<NodeRef> sorted = new ArrayList<>(candidates);
        sorted.sort((a, b) -> a.id().distanceTo(id).compareTo(b.id().distanceTo(id)));
        return sorted.size() > MAX_NEXT_HOPS ? List.copyOf(sorted.subList(0, MAX_NEXT_HOPS)) : sorted;
    }

    /** Inbound: the caller thinks it might be our predecessor. */
    public void handleNotify(NodeRef candidate) {
        synchronized (this) {
            if (candidate.equals(self)) {
                return;
            }
            if (predecessor == null || predecessor.equals(self)
                    || candidate.id().isBetweenOpen(predecessor.id(), self.id())) {
                predecessor = candidate;
            }
            if (successors.getFirst().equals(self)) {
                // we were alone: the first node to notify us is also our successor
                successors.set(0, candidate);
                fingers[0] = candidate;
            }
        }
    }

    /** Inbound: our predecessor and successor list. */
    public synchronized NodeState handleState() {
        return new NodeState(self, predecessor, List.copyOf(successors));
    }

    /** Inbound: a neighbour is leaving gracefully. */
    public void handleLeaving(NodeRef leaver, NodeRef newPredecessor, List<NodeRef> newSuccessors) {
        synchronized (this) {
            if (leaver.equals(predecessor)) {
                predecessor = newPredecessor != null && !newPredecessor.equals(self) ? newPredecessor : null;
            }
            if (!newSuccessors.isEmpty() && successors.contains(leaver)) {
                List<NodeRef> merged = new ArrayList<>();
                for (NodeRef s : newSuccessors) {
                    if (s.equals(self) || merged.contains(s)) {
                        break;
                    }
                    merged.add(s);
                    if (merged.size() >= params.successorListSize()) {
                        break;
                    }
                }
                if (merged.isEmpty()) {
                    merged.add(self);
                }
                successors.clear();
                successors.addAll(merged);
            }
        }
        suspect(leaver);
    }

    private NodeState stateOf(NodeRef node) {
        return node.equals(self) ? handleState() : peer.state(node);
    }

    // ------------------------------------------------------------------ key-value store

    /** Stores a value at the key's owner (found by a lookup from here), which replicates it. */
    public PutResult put(String key, byte[] value, String contentType) {
        requireValue(value);
        return withOwner(key, (owner, lookup) -> {
            PutReply reply = owner.equals(self) ? handlePut(key, value, contentType) : peer.put(owner, key, value, contentType);
            return new PutResult(reply.created(), reply.version(), lookup.withOwner(owner));
        });
    }

    /** Reads a key through its owner. */
    public GetResult get(String key) {
        return withOwner(key, (owner, lookup) -> {
            Optional<DhtEntry> entry = owner.equals(self) ? handleGet(key) : peer.get(owner, key);
            return new GetResult(entry, lookup.withOwner(owner));
        });
    }

    /** Deletes a key through its owner. */
    public DeleteResult delete(String key) {
        return withOwner(key, (owner, lookup) -> {
            boolean existed = owner.equals(self) ? handleDelete(key) : peer.delete(owner, key);
            return new DeleteResult(existed, lookup.withOwner(owner));
        });
    }

    private interface OwnerCall<T> {
        T apply(NodeRef owner, LookupResult lookup);
    }

    /**
     * Runs an operation at the key's owner. If the owner dies between the lookup and the call,
     * the next live node of the owner candidates takes its place (it holds a replica and is the
     * owner once the ring settles); failing that, the lookup is repeated.
     */
    private <T> T withOwner(String key, OwnerCall<T> call) {
        NodeId id = NodeId.hash(key);
        PeerUnavailableException last = null;
        for (int attempt = 0; attempt < KV_ATTEMPTS; attempt++) {
            LookupResult lookup = lookup(id);
            List<NodeRef> owners = new ArrayList<>();
            boolean from = false;
            for (NodeRef n : lookup.ownerCandidates()) {
                from |= n.equals(lookup.owner());
                if (from) {
                    owners.add(n);
                }
            }
            if (owners.isEmpty()) {
                owners.add(lookup.owner());
            }
            for (NodeRef owner : owners) {
                try {
                    return call.apply(owner, lookup);
                } catch (PeerUnavailableException e) {
                    last = e;
                    suspect(owner);
                }
            }
        }
        throw new LookupFailedException("the owners of '" + abbreviate(key) + "' did not answer: "
                + (last == null ? "no candidates" : last.getMessage()));
    }

    private void requireValue(byte[] value) {
        if (value.length > params.maxValueSize()) {
            throw new IllegalArgumentException("value of " + value.length + " bytes exceeds maxValueSize " + params.maxValueSize());
        }
    }

    /** Inbound, at the owner: stores a new version and pushes it to the replicas. */
    public PutReply handlePut(String key, byte[] value, String contentType) {
        requireValue(value);
        DhtEntry entry;
        boolean created;
        synchronized (this) {
            Optional<DhtEntry> existing = store.get(key);
            created = existing.isEmpty() || existing.get().deleted();
            long version = nextVersion(existing.map(DhtEntry::version).orElse(0L));
            entry = new DhtEntry(key, value, contentType, version, false);
            store.put(entry);
        }
        pushToReplicas(List.of(entry));
        return new PutReply(created, entry.version());
    }

    /** Inbound, at the owner: the live value, repaired from a replica if this node lacks it. */
    public Optional<DhtEntry> handleGet(String key) {
        Optional<DhtEntry> local = store.get(key);
        if (local.isEmpty()) {
            DhtEntry newest = null;
            for (NodeRef replica : replicaTargets()) {
                try {
                    Optional<DhtEntry> copy = peer.fetchReplica(replica, key);
                    if (copy.isPresent() && copy.get().isNewerThan(newest)) {
                        newest = copy.get();
                    }
                } catch (PeerUnavailableException e) {
                    // try the next replica
                }
            }
            if (newest != null) {
                storeIfNewer(newest);
                local = Optional.of(newest);
            }
        }
        return local.filter(e -> !e.deleted());
    }

    /** Inbound, at the owner: replaces the value with a tombstone and pushes it to the replicas. */
    public boolean handleDelete(String key) {
        Optional<DhtEntry> live = handleGet(key);
        if (live.isEmpty()) {
            return false;
        }
        DhtEntry tombstone;
        synchronized (this) {
            tombstone = DhtEntry.tombstone(key, nextVersion(live.get().version()));
            store.put(tombstone);
        }
        pushToReplicas(List.of(tombstone));
        return true;
    }

    /** Inbound: our own copy, without repair. */
    public Optional<DhtEntry> handleFetchReplica(String key) {
        return store.get(key);
    }

    /** Inbound: entries to keep as replicas. */
    public void handleReplicate(List<DhtEntry> entries) {
        for (DhtEntry e : entries) {
            storeIfNewer(e);
        }
    }

    /** Inbound: a joining node (our new predecessor) takes what it now owns or replicates. */
    public List<DhtEntry> handleTransfer(NodeRef joiner) {
        List<DhtEntry> out = new ArrayList<>();
        for (DhtEntry e : store.all()) {
            if (!e.keyId().isBetweenOpenClosed(joiner.id(), self.id())) {
                out.add(e);
            }
        }
        return out;
    }

    /** Inbound, at a replica: compares the owner's digest with what we hold of its range. */
    public SyncReply handleSync(SyncRequest request) {
        long now = nowMillis();
        List<String> needed = new ArrayList<>();
        List<DhtEntry> newer = new ArrayList<>();
        Map<String, Long> theirs = request.versions();
        for (KeyValueStore.KeyVersion mine : store.versions()) {
            if (!NodeId.hash(mine.key()).isBetweenOpenClosed(request.from(), request.to())) {
                continue;
            }
            Long version = theirs.get(mine.key());
            if (version == null || mine.version() > version) {
                store.get(mine.key()).ifPresent(newer::add);
            }
        }
        synchronized (this) {
            for (Map.Entry<String, Long> e : theirs.entrySet()) {
                Optional<DhtEntry> mine = store.get(e.getKey());
                if (mine.isEmpty() || mine.get().version() < e.getValue()) {
                    needed.add(e.getKey());
                }
                confirmedAt.put(e.getKey(), now);
            }
        }
        return new SyncReply(needed, newer);
    }

    /**
     * Periodic, at an owner: makes sure the next {@code replicas - 1} successors hold the
     * current version of every key in this node's range (re-creating replicas lost in crashes),
     * takes back anything newer they hold, and drops replicas that no owner has confirmed
     * within the lease and tombstones past their time to live.
     */
    public void maintainReplicas() {
        NodeRef pred;
        synchronized (this) {
            pred = predecessor;
        }
        if (pred != null && params.replicas() > 1) {
            for (NodeRef replica : replicaTargets()) {
                syncWith(replica, pred.id());
            }
        }
        expire(pred);
    }

    private void syncWith(NodeRef replica, NodeId from) {
        Map<String, Long> digest = new HashMap<>();
        for (KeyValueStore.KeyVersion kv : store.versions()) {
            if (NodeId.hash(kv.key()).isBetweenOpenClosed(from, self.id())) {
                digest.put(kv.key(), kv.version());
            }
        }
        try {
            SyncReply reply = peer.sync(replica, new SyncRequest(self, from, self.id(), digest));
            reply.newer().forEach(this::storeIfNewer);
            if (!reply.needed().isEmpty()) {
                List<DhtEntry> send = new ArrayList<>();
                for (String key : reply.needed()) {
                    store.get(key).ifPresent(send::add);
                }
                peer.replicate(replica, send);
            }
        } catch (PeerUnavailableException e) {
            suspect(replica);
        }
    }

    private void expire(NodeRef pred) {
        long now = nowMillis();
        long lease = params.replicaLease().toMillis();
        long tombstoneTtl = params.tombstoneTtl().toMillis();
        for (KeyValueStore.KeyVersion e : store.versions()) {
            boolean primary = pred == null || NodeId.hash(e.key()).isBetweenOpenClosed(pred.id(), self.id());
            if (e.deleted() && now - e.version() / 1000 > tombstoneTtl) {
                store.remove(e.key());
                continue;
            }
            if (!primary) {
                Long confirmed;
                synchronized (this) {
                    confirmed = confirmedAt.computeIfAbsent(e.key(), k -> now);
                }
                if (now - confirmed > lease) {
                    dropOrKeepReplica(e.key(), now);
                }
            }
        }
    }

    /**
     * A replica no owner has confirmed for a lease: look up who holds the key now. If this node is
     * still one of the {@code replicas} holders (the owner's sync was only late) keep it;
     * otherwise hand it to the owner (kept there only if newer) and drop it. Nothing is dropped
     * on a failed lookup or hand-off: a late owner must never cost a copy.
     */
    private void dropOrKeepReplica(String key, long now) {
        try {
            LookupResult where = lookup(NodeId.hash(key));
            List<NodeRef> candidates = where.ownerCandidates();
            int from = Math.max(0, candidates.indexOf(where.owner()));
            List<NodeRef> holders = candidates.subList(from, Math.min(candidates.size(), from + params.replicas()));
            if (where.owner().equals(self) || holders.contains(self)) {
                synchronized (this) {
                    confirmedAt.put(key, now);
                }
                return;
            }
            Optional<DhtEntry> entry = store.get(key);
            if (entry.isPresent()) {
                peer.replicate(where.owner(), List.of(entry.get()));
            }
            store.remove(key);
            synchronized (this) {
                confirmedAt.remove(key);
            }
        } catch (PeerUnavailableException | LookupFailedException ex) {
            // keep it; the next round tries again
        }
    }

    private void pushToReplicas(List<DhtEntry> entries) {
        for (NodeRef replica : replicaTargets()) {
            try {
                peer.replicate(replica, entries);
            } catch (PeerUnavailableException e) {
                suspect(replica); // the periodic sync re-creates the copy on the next live successor
            }
        }
    }

    private synchronized List<NodeRef> replicaTargets() {
        List<NodeRef> targets = new ArrayList<>();
        for (NodeRef s : successors) {
            if (targets.size() >= params.replicas() - 1) {
                break;
            }
            if (!s.equals(self) && !targets.contains(s)) {
                targets.add(s);
            }
        }
        return targets;
    }

    private void storeIfNewer(DhtEntry entry) {
        synchronized (this) {
            Optional<DhtEntry> existing = store.get(entry.key());
            if (existing.isEmpty() || entry.isNewerThan(existing.get())) {
                store.put(entry);
                lastVersion = Math.max(lastVersion, entry.version());
            }
            confirmedAt.put(entry.key(), nowMillis());
        }
    }

    /** Versions are microseconds of this node's clock, strictly above any version it has seen. */
    private synchronized long nextVersion(long previous) {
        long candidate = nowMillis() * 1000;
        lastVersion = Math.max(Math.max(candidate, previous + 1), lastVersion + 1);
        return lastVersion;
    }

    private List<DhtEntry> entriesIn(NodeId from, NodeId to) {
        return store.all().stream().filter(e -> e.keyId().isBetweenOpenClosed(from, to)).toList();
    }

    private long nowMillis() {
        return clock.millis();
    }

    private static String abbreviate(String key) {
        return key.length() <= 64 ? key : key.substring(0, 61) + "...";
    }

    // ------------------------------------------------------------------ views

    public NodeRef self() {
        return self;
    }

    public ChordParams params() {
        return params;
    }

    public synchronized NodeRef successor() {
        return successors.getFirst();
    }

    public synchronized Optional<NodeRef> predecessor() {
        return Optional.ofNullable(predecessor);
    }

    public synchronized List<NodeRef> successorList() {
        return List.copyOf(successors);
    }

    /** The finger table: entry i (0-based) is the successor of self + 2^i. */
    public synchronized List<NodeRef> fingers() {
        return List.of(fingers);
    }

    /** Is this key in this node's own range (predecessor, self]? */
    public synchronized boolean owns(NodeId id) {
        if (successors.getFirst().equals(self)) {
            return true;
        }
        return predecessor != null && id.isBetweenOpenClosed(predecessor.id(), self.id());
    }

    /** The live entries this node holds, split into those it owns and those it replicates. */
    public StoredKeys storedKeys() {
        List<String> owned = new ArrayList<>();
        List<String> replicated = new ArrayList<>();
        for (KeyValueStore.KeyVersion e : store.versions()) {
            if (e.deleted()) {
                continue;
            }
            (owns(NodeId.hash(e.key())) ? owned : replicated).add(e.key());
        }
        return new StoredKeys(owned, replicated);
    }

    public KeyValueStore store() {
        return store;
    }

    public record StoredKeys(List<String> owned, List<String> replicated) {
    }

    // ------------------------------------------------------------------ results

    /**
     * How a lookup went: the owner (the successor of the id), the owner candidates the last node
     * gave (the owner and the nodes after it), the path from the first node asked to the id's
     * predecessor, the hops along it (path length - 1, the paper's path length), how many nodes
     * did not answer, and the time it took.
     */
    public record LookupResult(NodeId id, NodeRef owner, List<NodeRef> ownerCandidates, List<NodeRef> path, int hops,
            int timeouts, long micros) {

        LookupResult withOwner(NodeRef actualOwner) {
            return actualOwner.equals(owner) ? this
                    : new LookupResult(id, actualOwner, ownerCandidates, path, hops, timeouts, micros);
        }
    }

    public record PutResult(boolean created, long version, LookupResult lookup) {
    }

    public record GetResult(Optional<DhtEntry> entry, LookupResult lookup) {
    }

    public record DeleteResult(boolean existed, LookupResult lookup) {
    }

    /** No live route or no live owner: the overlay cannot serve the request right now. */
    public static final class LookupFailedException extends RuntimeException {
        public LookupFailedException(String message) {
            super(message);
        }
    }

}
