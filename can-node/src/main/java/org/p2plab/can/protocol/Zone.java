package org.p2plab.can.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * A zone of the coordinate space: the box [lo_i, hi_i) in every dimension i, never wrapping
 * (zones come from halving the whole space, so each side is a dyadic interval inside [0, SIZE)).
 * The torus shows only in {@link #distanceSquared(Point)} and {@link #isNeighbour(Zone)}.
 * <p>
 * Splitting follows the paper's fixed order of dimensions: a zone is split across its longest
 * side, the lowest dimension first among equal sides, so the whole space splits along x, then
 * y, then x again, ...
 */
public final class Zone {

    private final long[] lo;
    private final long[] hi;

    private Zone(long[] lo, long[] hi) {
        this.lo = lo;
        this.hi = hi;
    }

    /** The whole space: the zone of the first node. */
    public static Zone whole(int dimensions) {
        Point.checkDimensions(dimensions);
        long[] hi = new long[dimensions];
        Arrays.fill(hi, Point.SIZE);
        return new Zone(new long[dimensions], hi);
    }

    /**
     * A zone from its bounds; it must be one the splitting order can produce (see
     * {@link #isCanonical()}), as every zone a peer sends must be.
     */
    public static Zone of(long[] lo, long[] hi) {
        if (lo.length != hi.length || lo.length < 1 || lo.length > Point.MAX_DIMENSIONS) {
            throw new IllegalArgumentException("a zone needs 1.." + Point.MAX_DIMENSIONS + " lower and upper bounds of equal number");
        }
        Zone z = new Zone(lo.clone(), hi.clone());
        if (!z.isCanonical()) {
            throw new IllegalArgumentException("not a zone the CAN splitting order produces: " + z);
        }
        return z;
    }

    public int dimensions() {
        return lo.length;
    }

    public long lo(int dimension) {
        return lo[dimension];
    }

    public long hi(int dimension) {
        return hi[dimension];
    }

    public long side(int dimension) {
        return hi[dimension] - lo[dimension];
    }

    public boolean contains(Point p) {
        checkSame(p.dimensions());
        for (int i = 0; i < lo.length; i++) {
            long c = p.get(i);
            if (c < lo[i] || c >= hi[i]) {
                return false;
            }
        }
        return true;
    }

    /** The zone's share of the whole space, in (0, 1]. */
    public double volume() {
        double v = 1;
        for (int i = 0; i < lo.length; i++) {
            v *= side(i) / (double) Point.SIZE;
        }
        return v;
    }

    /** The point in the middle of the zone. */
    public Point centre() {
        long[] c = new long[lo.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = lo[i] + side(i) / 2;
        }
        return Point.of(c);
    }

    /** The dimension the next split halves: the longest side, the lowest dimension among equals. */
    public int splitDimension() {
        int best = 0;
        for (int i = 1; i < lo.length; i++) {
            if (side(i) > side(best)) {
                best = i;
            }
        }
        return best;
    }

    /** Whether the zone can be split at all (a side of one unit cannot). */
    public boolean splittable() {
        return side(splitDimension()) >= 2;
    }

    /** The two halves, lower then upper, across {@link #splitDimension()}. */
    public Zone[] split() {
        int d = splitDimension();
        if (side(d) < 2) {
            throw new IllegalStateException("zone too small to split: " + this);
        }
        long mid = lo[d] + side(d) / 2;
        long[] lowerHi = hi.clone();
        lowerHi[d] = mid;
        long[] upperLo = lo.clone();
        upperLo[d] = mid;
        return new Zone[] {new Zone(lo.clone(), lowerHi), new Zone(upperLo, hi.clone())};
    }

    /**
     * The zone these two halves came from, if they are the two halves of one split: what a
     * node holding both (after a takeover or a leave) merges them into.
     */
    public Optional<Zone> mergeWith(Zone other) {
        checkSame(other.dimensions());
        int differing = -1;
        for (int i = 0; i < lo.length; i++) {
            if (lo[i] != other.lo[i] || hi[i] != other.hi[i]) {
                if (differing >= 0) {
                    return Optional.empty();
                }
                differing = i;
            }
        }
        if (differing < 0) {
            return Optional.empty();
        }
        long[] plo = lo.clone();
        long[] phi = hi.clone();
        plo[differing] = Math.min(lo[differing], other.lo[differing]);
        phi[differing] = Math.max(hi[differing], other.hi[differing]);
        Zone parent = new Zone(plo, phi);
        if (!parent.isCanonical() || parent.splitDimension() != differing) {
            return Optional.empty();
        }
        Zone[] halves = parent.split();
        boolean match = (halves[0].equals(this) && halves[1].equals(other)) || (halves[0].equals(other) && halves[1].equals(this));
        return match ? Optional.of(parent) : Optional.empty();
    }

    /**
     * Whether the splitting order can produce this zone: every side a power of two, aligned to
     * its length, and the sides of the form (s, ..., s, 2s, ..., 2s) with the short ones first
     * (the lower dimensions have been halved once more), or all equal.
     */
    public boolean isCanonical() {
        long longest = 0;
        for (int i = 0; i < lo.length; i++) {
            long s = side(i);
            if (lo[i] < 0 || hi[i] > Point.SIZE || s <= 0 || Long.bitCount(s) != 1 || lo[i] % s != 0) {
                return false;
            }
            longest = Math.max(longest, s);
        }
        boolean shortSeen = true;
        for (int i = 0; i < lo.length; i++) {
            long s = side(i);
            if (s == longest) {
                shortSeen = false;
            }
            else if (s * 2 == longest) {
                if (!shortSeen) {
                    return false;
                }
            }
            else {
                return false;
            }
        }
        return true;
    }

    /**
     * The square of the torus distance from a point to the nearest point of this zone, in units
     * of the whole space (0 when the zone contains the point): how greedy routing ranks zones.
     */
    public double distanceSquared(Point p) {
        checkSame(p.dimensions());
        double sum = 0;
        for (int i = 0; i < lo.length; i++) {
            double d = axisDistance(p.get(i), lo[i], hi[i]) / (double) Point.SIZE;
            sum += d * d;
        }
        return sum;
    }

    /** Distance on a circle of circumference SIZE from c to the interval [lo, hi). */
    static long axisDistance(long c, long lo, long hi) {
        if (c >= lo && c < hi) {
            return 0;
        }
        long up = Math.floorMod(lo - c, Point.SIZE);      // forward from c to lo
        long down = Math.floorMod(c - (hi - 1), Point.SIZE); // back from c to the last point of the interval
        return Math.min(up, down);
    }

    /**
     * CAN's neighbour relation: the two zones' spans overlap along d-1 dimensions and abut along
     * the remaining one (on the torus, so the zone at the top edge abuts the one at the bottom).
     */
    public boolean isNeighbour(Zone other) {
        checkSame(other.dimensions());
        int overlapping = 0;
        int abutting = 0;
        for (int i = 0; i < lo.length; i++) {
            if (Math.max(lo[i], other.lo[i]) < Math.min(hi[i], other.hi[i])) {
                overlapping++;
            }
            else if (hi[i] == other.lo[i] || other.hi[i] == lo[i]
                    || (hi[i] == Point.SIZE && other.lo[i] == 0) || (other.hi[i] == Point.SIZE && lo[i] == 0)) {
                abutting++;
            }
        }
        return overlapping == lo.length - 1 && abutting == 1;
    }

    /** Whether {@code other} lies wholly inside this zone. */
    public boolean encloses(Zone other) {
        checkSame(other.dimensions());
        for (int i = 0; i < lo.length; i++) {
            if (other.lo[i] < lo[i] || other.hi[i] > hi[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the two zones share any volume (never, between zones of different live nodes). */
    public boolean overlaps(Zone other) {
        checkSame(other.dimensions());
        for (int i = 0; i < lo.length; i++) {
            if (Math.max(lo[i], other.lo[i]) >= Math.min(hi[i], other.hi[i])) {
                return false;
            }
        }
        return true;
    }

    /** The lower corner as fractions of the space. */
    public double[] loFractions() {
        return fractions(lo);
    }

    /** The upper corner (exclusive) as fractions of the space. */
    public double[] hiFractions() {
        return fractions(hi);
    }

    /** The bounds, copied (e.g. for a wire format). */
    public long[] los() {
        return lo.clone();
    }

    public long[] his() {
        return hi.clone();
    }

    private static double[] fractions(long[] v) {
        double[] f = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = v[i] / (double) Point.SIZE;
        }
        return f;
    }

    private void checkSame(int dimensions) {
        if (dimensions != lo.length) {
            throw new IllegalArgumentException("dimension mismatch: " + dimensions + " vs " + lo.length);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Zone z && Arrays.equals(lo, z.lo) && Arrays.equals(hi, z.hi);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(lo) + Arrays.hashCode(hi);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        double[] l = loFractions();
        double[] h = hiFractions();
        for (int i = 0; i < l.length; i++) {
            b.append(i == 0 ? "" : " x ").append(trim(l[i])).append("..").append(trim(h[i]));
        }
        return b.append(")").toString();
    }

    private static String trim(double f) {
        String s = String.format("%.6f", f);
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
