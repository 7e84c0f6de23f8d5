package org.p2plab.overcast.protocol;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One round of Overcast's tree building (OSDI 2000, §4.2): a node has measured its bandwidth to
 * its current parent and to each of that parent's other children. A child it reaches with
 * bandwidth within the tolerance (10%) of the direct route is as good a source as the parent.
 * Among the parent and such children, those within the tolerance of the best bandwidth are a
 * tie, broken by fewer hops (traceroute's count), then in favour of staying, then by bandwidth
 * and name; the node moves under the winner unless it is the parent. So a node goes down the
 * tree where that costs no bandwidth and brings the source nearer, which keeps copies off the
 * backbone (without the parent in the tie, equal bandwidths everywhere make a chain of every
 * node, each copy crossing the network again).
 */
public final class Placement {

    /** A measured candidate: its bandwidth in bytes per second, and its distance in hops. */
    public record Measured(String node, double bandwidth, int hops) {
        public Measured {
            if (!(bandwidth >= 0) || Double.isInfinite(bandwidth)) {
                throw new IllegalArgumentException("a bandwidth is a finite number >= 0, got " + bandwidth);
            }
            if (hops < 0) {
                throw new IllegalArgumentException("hops are >= 0, got " + hops);
            }
        }
    }

    private Placement() {
    }

    /** The child to move under, or empty to stay where it is. */
    public static Optional<Measured> choose(Measured parent, List<Measured> siblings, double tolerance) {
        if (!(tolerance >= 0 && tolerance < 1)) {
            throw new IllegalArgumentException("the tolerance is in [0, 1), got " + tolerance);
        }
        double floor = parent.bandwidth() * (1 - tolerance);
        List<Measured> good = siblings.stream().filter(s -> s.bandwidth() > 0 && s.bandwidth() >= floor).toList();
        if (good.isEmpty()) {
            return Optional.empty();
        }
        double best = Math.max(parent.bandwidth(), good.stream().mapToDouble(Measured::bandwidth).max().orElseThrow());
        List<Measured> pool = new java.util.ArrayList<>(good);
        pool.add(parent);
        Measured pick = pool.stream().filter(s -> s.bandwidth() >= best * (1 - tolerance))
                .min(Comparator.comparingInt(Measured::hops).thenComparing(s -> s == parent ? 0 : 1)
                        .thenComparing(Measured::bandwidth, Comparator.reverseOrder()).thenComparing(Measured::node))
                .orElseThrow();
        return pick == parent ? Optional.empty() : Optional.of(pick);
    }
}
