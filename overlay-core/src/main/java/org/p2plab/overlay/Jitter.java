package org.p2plab.overlay;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Randomized timer periods, so that periodic work of many nodes does not synchronize. */
public final class Jitter {
    private Jitter() {
    }

    /** A period drawn uniformly from [0.5, 1.5) x the mean (the Chord paper's randomized timers). */
    public static Duration around(Duration mean, RandomGenerator random) {
        long nanos = mean.toNanos();
        return Duration.ofNanos(nanos / 2 + (long) (random.nextDouble() * nanos));
    }
}
