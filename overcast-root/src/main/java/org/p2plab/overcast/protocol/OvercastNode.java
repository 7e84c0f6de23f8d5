package org.p2plab.overcast.protocol;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;

/**
 * One Overcast node's timers around its {@link UpDown} and {@link TreeBuilder}: it checks in
 * with its parent twice per lease period, and at once when certificates wait to go up (so a
 * birth or death reaches the root in one network round trip per level), expires its children's
 * leases four times per lease period, and runs tree-building
 * rounds every round period until it stays, then every re-evaluation period. A check-in that
 * gets no answer starts a round at once, which finds the parent gone and rejoins at the nearest
 * live ancestor. The root only expires leases. Plain Java: the simulator and the service drive
 * it alike.
 */
public final class OvercastNode {

    private static final System.Logger LOG = System.getLogger(OvercastNode.class.getName());

    /**
     * @param lease            a child's lease; it checks in every half lease
     * @param roundPeriod      between tree-building rounds while the node still moves
     * @param reevaluatePeriod between rounds once it has stayed put
     * @param tolerance        bandwidths within this fraction tie (0.1)
     * @param linearRoot       a linear root below the root (§4.4): it keeps its place in the chain,
     *                         rejoins at the nearest live root above it if its parent fails, and
     *                         becomes the root when none above answers for a whole lease
     */
    public record Params(Duration lease, Duration roundPeriod, Duration reevaluatePeriod, double tolerance, boolean linearRoot) {

        public Params(Duration lease, Duration roundPeriod, Duration reevaluatePeriod, double tolerance) {
            this(lease, roundPeriod, reevaluatePeriod, tolerance, false);
        }

        public Params {
            for (Duration d : List.of(lease, roundPeriod, reevaluatePeriod)) {
                if (d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("the lease and round periods must be positive");
                }
            }
        }
    }

    private final UpDown updown;
    private final TreeBuilder builder;
    private final OvercastPeer peer;
    private final Timers timers;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Params params;
    private final java.util.concurrent.atomic.AtomicBoolean earlyCheckIn = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean stopped;
    private volatile boolean tookOver;
    private volatile TreeBuilder.Round lastRound;
    private long failedCheckIns;
    private long rounds;
    private long moves;
    private long rejoins;
    private java.time.Instant orphanedSince;

    public OvercastNode(UpDown updown, OvercastPeer peer, Timers timers, InstantSource clock, RandomGenerator random, Params params) {
        this.updown = updown;
        this.builder = new TreeBuilder(updown, params.tolerance());
        this.peer = peer;
        this.timers = timers;
        this.clock = clock;
        this.random = random;
        this.params = params;
    }

    public UpDown updown() {
        return updown;
    }

    public void start() {
        timers.schedule(Jitter.around(params.lease().dividedBy(4), random), this::expiryTick);
        if (!updown.isRoot()) {
            updown.onCertificates(this::checkInSoon);
            timers.schedule(Duration.ZERO, this::checkInTick);
            timers.schedule(Duration.ZERO, this::roundTick);
        }
    }

    public void stop() {
        stopped = true;
    }

    private void expiryTick() {
        if (stopped) {
            return;
        }
        guarded("lease expiry", () -> updown.expireLeases(clock.instant()));
        timers.schedule(Jitter.around(params.lease().dividedBy(4), random), this::expiryTick);
    }

    /** Certificates wait: one early check-in, however many arrive before it runs. */
    private void checkInSoon() {
        if (!stopped && earlyCheckIn.compareAndSet(false, true)) {
            timers.schedule(Duration.ZERO, () -> {
                earlyCheckIn.set(false);
                if (!stopped) {
                    guarded("check-in", this::checkInNow);
                }
            });
        }
    }

    private void checkInTick() {
        if (stopped || updown.isRoot()) {
            return; // a linear root that took over checks in with nobody
        }
        guarded("check-in", this::checkInNow);
        timers.schedule(params.lease().dividedBy(2), this::checkInTick);
    }

    /** One check-in; false if the parent did not answer (a round then looks for a new one). */
    boolean checkInNow() {
        UpDown.CheckIn c = updown.checkIn();
        String parent = updown.parent();
        try {
            if (updown.checkedIn(peer.checkIn(parent, c))) {
                return true;
            }
            // a loop: the parent is below this node; the round rejoins above it
        }
        catch (PeerUnavailableException e) {
            updown.checkInFailed(c);
        }
        synchronized (this) {
            failedCheckIns++;
        }
        timers.schedule(Duration.ZERO, () -> guarded("round", this::roundNow));
        return false;
    }

    private void roundTick() {
        if (stopped || updown.isRoot()) {
            return;
        }
        TreeBuilder.Round r = null;
        try {
            r = roundNow();
        }
        catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "an overcast round failed; the next one runs as planned", e);
        }
        timers.schedule(r == null || r.moved() ? params.roundPeriod() : Jitter.around(params.reevaluatePeriod(), random),
                this::roundTick);
    }

    private synchronized TreeBuilder.Round roundNow() {
        TreeBuilder.Round r = builder.round(peer, params.linearRoot());
        lastRound = r;
        if (params.linearRoot()) {
            takeOverIfOrphaned(r);
        }
        rounds++;
        if (r.rejoined()) {
            rejoins++;
        }
        else if (r.moved()) {
            moves++;
        }
        if (r.moved()) {
            checkInNow(); // the new parent hears of this node (and its subtree) at once
        }
        return r;
    }

    /** A linear root whose parent failed and which found no live root above it for a whole lease becomes the root. */
    private void takeOverIfOrphaned(TreeBuilder.Round r) {
        if (r.parentBefore() == null || r.rejoined() || !updown.parentFailed()) {
            orphanedSince = null;
            return;
        }
        java.time.Instant now = clock.instant();
        if (orphanedSince == null) {
            orphanedSince = now;
        }
        else if (!now.isBefore(orphanedSince.plus(params.lease()))) {
            updown.becomeRoot();
            tookOver = true;
            LOG.log(System.Logger.Level.INFO, "overcast linear root " + updown.self() + " takes over as the root: no root above "
                    + "it answered for a lease");
        }
    }

    /** Whether this linear root has taken over as the root. */
    public boolean tookOver() {
        return tookOver;
    }

    /** Runs a timer's task; a bug in it is logged, and the node's timers keep running. */
    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        }
        catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "overcast " + what + " failed", e);
        }
    }

    public TreeBuilder.Round lastRound() {
        return lastRound;
    }

    public synchronized long failedCheckIns() {
        return failedCheckIns;
    }

    /** Rounds run, moves under a sibling, and rejoins at an ancestor after the parent failed. */
    public record Stats(long rounds, long moves, long rejoins, long failedCheckIns) {
    }

    public synchronized Stats stats() {
        return new Stats(rounds, moves, rejoins, failedCheckIns);
    }
}
