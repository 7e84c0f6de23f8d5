package org.p2plab.overcast.protocol;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's side of the up/down protocol (Overcast, OSDI 2000, §4.3), root included.
 * <ul>
 *   <li>As a <b>child</b>: it checks in with its parent every lease period, carrying every
 *       certificate gathered since its last check-in ({@link #checkIn()}); a check-in that does
 *       not arrive keeps them for the next ({@link #checkInFailed}). Taking a new parent
 *       increments its sequence number ({@link #newParent}), and the first check-in with the new
 *       parent introduces its whole subtree (a birth certificate for every live descendant, which
 *       the new parent did not know and the root ignores as a repeat).</li>
 *   <li>As a <b>parent</b>: a check-in from a child it does not know (or under a new sequence
 *       number) makes a birth certificate; the certificates a child brings are applied to its
 *       {@link DescendantTable} and those that changed it go on up; a child that misses its lease
 *       is declared dead ({@link #expireLeases}); its descendants are dead through it until they
 *       rejoin elsewhere ({@link DescendantTable#effectivelyAlive}).</li>
 *   <li>At the <b>root</b> the certificates stop, and its table converges to the live tree;
 *       every certificate that changed it is kept in order ({@link #log}).</li>
 * </ul>
 * Plain Java, thread-safe; time comes in as arguments, so the simulator and the service drive it
 * alike.
 */
public final class UpDown {

    /** A check-in: who, under which sequence number, with what it gathered. */
    public record CheckIn(String node, long seq, List<Certificate> certificates) {
        public CheckIn {
            certificates = List.copyOf(certificates);
        }
    }

    /** The parent's answer: its ancestors and itself, root first (the child's ancestor list). */
    public record Reply(List<String> ancestors) {
        public Reply {
            ancestors = List.copyOf(ancestors);
        }
    }

    /** A certificate that changed the table, with its place in this node's log. */
    public record Logged(long index, Certificate certificate, Instant at) {
    }

    private record Lease(long seq, Instant expires) {
    }

    /** How many logged certificates a node keeps (the table itself is never trimmed). */
    public static final int LOG_LIMIT = 100_000;

    private final String self;
    private final Duration lease;
    private final DescendantTable table = new DescendantTable();
    private final Map<String, Lease> children = new LinkedHashMap<>();
    private final List<Certificate> pending = new ArrayList<>();
    /** The newest {@link #LOG_LIMIT} certificates that changed the table, oldest first. */
    private final java.util.ArrayDeque<Logged> log = new java.util.ArrayDeque<>();
    private long logged;
    private final Map<String, Logged> lastLogged = new java.util.HashMap<>();
    private volatile Runnable onCertificates = () -> { };
    private long seq;
    private boolean introduce;
    private boolean parentFailed;
    private String parent;
    private List<String> ancestors = List.of();

    /** A node under {@code parent} (null: the root), starting at sequence number 0. */
    public UpDown(String self, String parent, Duration lease) {
        this(self, parent, lease, 0);
    }

    /**
     * A node under {@code parent} (null: the root), starting at {@code initialSeq}. A real node
     * starts from its clock, so that a restarted node's certificates are newer than those of its
     * previous life, which the root's table still holds.
     */
    public UpDown(String self, String parent, Duration lease, long initialSeq) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease period must be positive");
        }
        if (initialSeq < 0) {
            throw new IllegalArgumentException("a sequence number is >= 0, got " + initialSeq);
        }
        this.self = self;
        this.parent = parent;
        this.lease = lease;
        this.seq = initialSeq;
    }

    public String self() {
        return self;
    }

    public synchronized String parent() {
        return parent;
    }

    public synchronized long seq() {
        return seq;
    }

    /** This node's ancestors as its parent last told it, root first (its parent last). */
    public synchronized List<String> ancestors() {
        return ancestors;
    }

    public boolean isRoot() {
        return parent() == null;
    }

    public Duration lease() {
        return lease;
    }

    // ---- as a child

    /** Takes a new parent (a tree-building move, or a rejoin at an ancestor): the sequence number goes up. */
    public synchronized void newParent(String newParent) {
        if (newParent == null || newParent.equals(self)) {
            throw new IllegalArgumentException("a node's parent is another node");
        }
        parent = newParent;
        seq++;
        introduce = true;
        parentFailed = false;
    }

    /**
     * A linear root whose parent and every root above it have failed takes over (OSDI 2000, §4.4):
     * it becomes the root. Its table already holds the tree below it, since every certificate
     * went up through it.
     */
    public synchronized void becomeRoot() {
        parent = null;
        ancestors = List.of();
        parentFailed = false;
        pending.clear();
    }

    /** The check-in to send now: the certificates gathered since the last one leave with it. */
    public synchronized CheckIn checkIn() {
        List<Certificate> out = new ArrayList<>();
        if (introduce) {
            for (DescendantTable.Entry e : table.subtree(self)) {
                out.add(Certificate.birth(e.node(), e.parent(), e.seq()));
            }
            introduce = false;
        }
        out.addAll(pending);
        pending.clear();
        return new CheckIn(self, seq, out);
    }

    /**
     * The check-in did not arrive (or was refused): its certificates go out with the next one,
     * before newer ones, and the parent counts as failed until a check-in succeeds or the node
     * takes another parent ({@link #parentFailed}). The sequence number goes up once per outage,
     * so that if the parent has declared this node dead meanwhile, the next check-in (to the same
     * parent, or to an ancestor) is a birth that the tables apply.
     */
    public synchronized void checkInFailed(CheckIn c) {
        pending.addAll(0, c.certificates());
        if (!parentFailed) {
            // once per outage: the parent may declare this node dead meanwhile, and a birth under the
            // same sequence number would then be a repeat it ignores; the next check-in is a new incarnation
            seq++;
        }
        parentFailed = true;
    }

    /**
     * The parent answered. An answer whose ancestors hold this node itself is a loop (two nodes
     * that moved under each other at once): it is not taken, the parent counts as failed, and
     * false is returned, so that the node rejoins above the loop.
     */
    public synchronized boolean checkedIn(Reply reply) {
        if (reply.ancestors().contains(self)) {
            parentFailed = true;
            return false;
        }
        ancestors = reply.ancestors();
        parentFailed = false;
        return true;
    }

    /** Whether the last check-in with the current parent failed: tree building then rejoins at an ancestor. */
    public synchronized boolean parentFailed() {
        return parentFailed;
    }

    // ---- as a parent

    /**
     * Called (outside this node's lock) when certificates are waiting for the parent: the node
     * may check in early, so that changes travel up at once rather than one check-in period per
     * level.
     */
    public void onCertificates(Runnable listener) {
        this.onCertificates = listener;
    }

    /** A child checks in. */
    public Reply handleCheckIn(CheckIn c, Instant now) {
        Reply r;
        boolean waiting;
        synchronized (this) {
            r = handleCheckInLocked(c, now);
            waiting = !pending.isEmpty();
        }
        if (waiting) {
            onCertificates.run();
        }
        return r;
    }

    private Reply handleCheckInLocked(CheckIn c, Instant now) {
        if (c.node().equals(self)) {
            throw new IllegalArgumentException("a node does not check in with itself");
        }
        Lease known = children.get(c.node());
        if (known == null || known.seq() != c.seq()) {
            record(Certificate.birth(c.node(), self, c.seq()), now);
        }
        children.put(c.node(), new Lease(c.seq(), now.plus(lease)));
        for (Certificate cert : c.certificates()) {
            record(cert, now);
        }
        List<String> chain = new ArrayList<>(ancestors);
        chain.add(self);
        return new Reply(chain);
    }

    /**
     * Declares dead every child whose lease ran out; the death certificates go up. The children
     * declared dead.
     */
    public List<String> expireLeases(Instant now) {
        List<String> dead = new ArrayList<>();
        boolean waiting;
        synchronized (this) {
            for (var it = children.entrySet().iterator(); it.hasNext(); ) {
                var e = it.next();
                if (!now.isBefore(e.getValue().expires())) {
                    it.remove();
                    dead.add(e.getKey());
                    record(Certificate.death(e.getKey(), self, e.getValue().seq()), now);
                }
            }
            waiting = !dead.isEmpty() && !pending.isEmpty();
        }
        if (waiting) {
            onCertificates.run();
        }
        return dead;
    }

    /** Applies a certificate; if it changed the table, logs it and (below the root) queues it for the parent. */
    private void record(Certificate c, Instant now) {
        if (c.type() == Certificate.Type.BIRTH && !c.parent().equals(self)) {
            Lease l = children.get(c.node());
            if (l != null && c.seq() > l.seq()) {
                children.remove(c.node()); // it moved below another node: no longer a child here, and no death either
            }
        }
        if (table.apply(c)) {
            Logged l = new Logged(++logged, c, now);
            log.addLast(l);
            lastLogged.put(c.node(), l);
            if (log.size() > LOG_LIMIT) {
                log.removeFirst();
            }
            if (parent != null) {
                pending.add(c);
            }
        }
    }

    /** The children whose leases run. */
    public synchronized List<String> children() {
        return List.copyOf(children.keySet());
    }

    /** A copy of what this node knows of its descendants (at the root: the tree). */
    public synchronized List<DescendantTable.Entry> table() {
        return table.entries();
    }

    public synchronized List<DescendantTable.Entry> subtree(String node) {
        return table.subtree(node);
    }

    /** Whether a node below is alive as far as this node can tell. */
    public synchronized boolean alive(String node) {
        return table.effectivelyAlive(node);
    }

    /**
     * The certificates that changed this node's table, after index {@code since} (0: all), at most
     * {@code limit} of them, oldest first. Only the newest {@link #LOG_LIMIT} are kept.
     */
    public synchronized List<Logged> log(long since, int limit) {
        return log.stream().filter(l -> l.index() > since).limit(limit).toList();
    }

    public synchronized List<Logged> log(long since) {
        return log(since, Integer.MAX_VALUE);
    }

    /** The newest certificate that changed what this node's table holds for {@code node}. */
    public synchronized java.util.Optional<Logged> lastLogged(String node) {
        return java.util.Optional.ofNullable(lastLogged.get(node));
    }

    /** The index of the newest logged certificate (0: none yet). */
    public synchronized long logIndex() {
        return logged;
    }

    /** Certificates waiting for the next check-in. */
    public synchronized int pending() {
        return pending.size();
    }
}
