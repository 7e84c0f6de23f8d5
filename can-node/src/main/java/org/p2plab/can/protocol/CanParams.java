package org.p2plab.can.protocol;

import java.time.Duration;
import java.util.Objects;

/**
 * CAN's parameters, named as in the paper (Ratnasamy et al., SIGCOMM 2001).
 *
 * @param dimensions          d, the dimensions of the coordinate space (1..8; the paper's
 *                            default experiments use 2); paths are about (d/4)·n^(1/d) hops
 *                            and each node has about 2d neighbours
 * @param updateInterval      mean period of the update message each node sends its neighbours
 *                            (its zones and its neighbour list); jittered 0.5-1.5x
 * @param neighbourTimeout    a neighbour silent this long is presumed dead and its zone is taken over
 * @param takeoverTimer       the takeover timer of a neighbour whose zones are as large as the dead
 *                            node's; each neighbour's timer is this times its own volume over the
 *                            dead node's (so the smallest neighbour fires first), clamped to 1/8..8x
 * @param uniformPartitioning the paper's "uniform partitioning" check: a join splits the largest
 *                            zone among the owner and its neighbours, not the owner's own
 * @param maxHops             a lookup gives up after this many hops
 * @param tombstoneTtl        how long a deletion is remembered (so a stale copy cannot bring the key back)
 */
public record CanParams(
        int dimensions,
        Duration updateInterval,
        Duration neighbourTimeout,
        Duration takeoverTimer,
        boolean uniformPartitioning,
        int maxHops,
        Duration tombstoneTtl) {

    public CanParams {
        Point.checkDimensions(dimensions);
        positive(updateInterval, "updateInterval");
        positive(neighbourTimeout, "neighbourTimeout");
        positive(takeoverTimer, "takeoverTimer");
        if (neighbourTimeout.compareTo(updateInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("neighbourTimeout must be at least twice updateInterval (jittered updates "
                    + "would otherwise look like deaths): " + neighbourTimeout + " < 2 x " + updateInterval);
        }
        positive(tombstoneTtl, "tombstoneTtl");
        if (maxHops < 1) {
            throw new IllegalArgumentException("maxHops must be positive, got " + maxHops);
        }
    }

    /** d = 2, updates every second, dead after 3.5 s, takeover timer 1 s, no uniform partitioning. */
    public static CanParams defaults() {
        return new CanParams(2, Duration.ofSeconds(1), Duration.ofMillis(3500), Duration.ofSeconds(1), false, 4096,
                Duration.ofMinutes(10));
    }

    public CanParams withDimensions(int d) {
        return new CanParams(d, updateInterval, neighbourTimeout, takeoverTimer, uniformPartitioning, maxHops, tombstoneTtl);
    }

    public CanParams withUniformPartitioning(boolean on) {
        return new CanParams(dimensions, updateInterval, neighbourTimeout, takeoverTimer, on, maxHops, tombstoneTtl);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}
