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

    private final String self;
    private final Duration lease;
    private final DescendantTable table = new DescendantTable();
    private final Map<String, Lease> children = new LinkedHashMap<>();
    private final List<Certificate> pending = new ArrayList<>();
    private final List<Logged> log = new ArrayList<>();
    private volatile Runnable onCertificates = () -> { };
    private long seq;
    private boolean introduce;
    private String parent;
    private List<String> ancestors = List.of();

    /** A node under {@code parent} (null: the root). */
    public UpDown(String self, String parent, Duration lease) {
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease period must be positive");
        }
        this.self = self;
        this.parent = parent;
        this.lease = lease;
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

    /** The check-in did not arrive: its certificates go out with the next one, before newer ones. */
    public synchronized void checkInFailed(CheckIn c) {
        pending.addAll(0, c.certificates());
    }

    /** The parent answered. */
    public synchronized void checkedIn(Reply reply) {
        ancestors = reply.ancestors();
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
            log.add(new Logged(log.size() + 1L, c, now));
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

    /** The certificates that changed this node's table, after index {@code since} (0: all). */
    public synchronized List<Logged> log(long since) {
        return log.stream().filter(l -> l.index() > since).toList();
    }

    /** Certificates waiting for the next check-in. */
    public synchronized int pending() {
        return pending.size();
    }
}
