package org.p2plab.can.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;

/**
 * A point of CAN's coordinate space, the unit d-torus [0,1)^d, in fixed point: coordinate c
 * stands for c / 2^{@value #BITS}. Fixed point keeps every zone boundary (a dyadic fraction,
 * since zones only ever halve) exact, so "contains" and "abuts" never depend on rounding.
 */
public final class Point {

    /** Bits of each coordinate. */
    public static final int BITS = 60;
    /** One full turn of the torus in each dimension: coordinates are in [0, SIZE). */
    public static final long SIZE = 1L << BITS;
    /** Dimensions a key can be hashed into: SHA-512 gives 8 coordinates of 64 bits. */
    public static final int MAX_DIMENSIONS = 8;

    private final long[] coords;

    private Point(long[] coords) {
        this.coords = coords;
    }

    public static Point of(long... coords) {
        if (coords.length < 1) {
            throw new IllegalArgumentException("a point has at least one dimension");
        }
        for (long c : coords) {
            if (c < 0 || c >= SIZE) {
                throw new IllegalArgumentException("coordinate out of [0, 2^" + BITS + "): " + c);
            }
        }
        return new Point(coords.clone());
    }

    /** A point from fractions in [0,1), e.g. (0.25, 0.5). */
    public static Point ofFractions(double... fractions) {
        long[] c = new long[fractions.length];
        for (int i = 0; i < c.length; i++) {
            if (!(fractions[i] >= 0 && fractions[i] < 1)) {
                throw new IllegalArgumentException("coordinate out of [0,1): " + fractions[i]);
            }
            c[i] = Math.min(SIZE - 1, (long) Math.floor(fractions[i] * SIZE));
        }
        return new Point(c);
    }

    /**
     * The point a key maps to, P = (h1(K), ..., hd(K)): the SHA-512 of the key's UTF-8 bytes cut
     * into eight 64-bit words, word i giving coordinate i (its top {@value #BITS} bits), so the
     * d hash functions are independent and uniform.
     */
    public static Point ofKey(String key, int dimensions) {
        checkDimensions(dimensions);
        ByteBuffer digest = ByteBuffer.wrap(sha512(key.getBytes(StandardCharsets.UTF_8)));
        long[] c = new long[dimensions];
        for (int i = 0; i < dimensions; i++) {
            c[i] = digest.getLong(8 * i) >>> (64 - BITS);
        }
        return new Point(c);
    }

    /** A uniformly random point, e.g. where a joining node lands. */
    public static Point random(int dimensions, RandomGenerator random) {
        checkDimensions(dimensions);
        long[] c = new long[dimensions];
        for (int i = 0; i < dimensions; i++) {
            c[i] = random.nextLong(SIZE);
        }
        return new Point(c);
    }

    static void checkDimensions(int dimensions) {
        if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
            throw new IllegalArgumentException("dimensions must be 1.." + MAX_DIMENSIONS + ", got " + dimensions);
        }
    }

    public int dimensions() {
        return coords.length;
    }

    public long get(int dimension) {
        return coords[dimension];
    }

    /** The coordinates as fractions of the unit torus, for people and JSON. */
    public double[] toFractions() {
        double[] f = new double[coords.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = coords[i] / (double) SIZE;
        }
        return f;
    }

    private static byte[] sha512(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-512", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Point p && Arrays.equals(coords, p.coords);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(coords);
    }

    @Override
    public String toString() {
        return Arrays.stream(toFractions()).mapToObj(f -> String.format("%.6f", f)).collect(Collectors.joining(", ", "(", ")"));
    }
}
