package org.p2plab.overlay.sim;

import java.time.Duration;

/** One-way delay of a message between two simulated nodes. */
@FunctionalInterface
public interface LatencyModel {

    Duration oneWay(String from, String to);

    /** How long a simulated call waits for a node that is down, with {@link #wideArea}. */
    Duration WIDE_AREA_TIMEOUT = Duration.ofMillis(500);

    /** 10-100 ms one way per pair: a wide-area-ish default for the protocol simulations. */
    static LatencyModel wideArea(long seed) {
        return uniformPerPair(Duration.ofMillis(10), Duration.ofMillis(100), seed);
    }

    /** The same delay for every pair. */
    static LatencyModel constant(Duration delay) {
        return (from, to) -> delay;
    }

    /**
     * A fixed delay per unordered pair, drawn uniformly from [min, max] by hashing the pair with
     * the seed: stable over the run (a pair's path does not change), symmetric, and reproducible.
     */
    static LatencyModel uniformPerPair(Duration min, Duration max, long seed) {
        long minNanos = min.toNanos();
        long span = max.toNanos() - minNanos;
        if (span < 0) {
            throw new IllegalArgumentException("max < min");
        }
        return (from, to) -> {
            if (from.equals(to)) {
                return Duration.ZERO;
            }
            int a = from.hashCode();
            int b = to.hashCode();
            long h = seed ^ ((long) Math.min(a, b) << 32 | (Math.max(a, b) & 0xffffffffL));
            h = mix(h);
            double u = (h >>> 11) * 0x1.0p-53;
            return Duration.ofNanos(minNanos + (long) (u * span));
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
