package org.p2plab.overlay;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A point on the identifier circle of size 2^160: a SHA-1 digest read as an unsigned integer
 * (Chord, Stoica et al., ToN 2003, section IV.A). Immutable and comparable; all arithmetic is
 * modulo 2^160.
 */
public final class NodeId implements Comparable<NodeId> {

    /** Bits in an identifier (the paper's m). */
    public static final int BITS = 160;
    /** Number of hex digits in {@link #toHex()}. */
    public static final int HEX_LENGTH = BITS / 4;
    private static final BigInteger RING = BigInteger.ONE.shiftLeft(BITS);
    private static final BigInteger MASK = RING.subtract(BigInteger.ONE);

    public static final NodeId ZERO = new NodeId(BigInteger.ZERO);

    private final BigInteger value;

    private NodeId(BigInteger value) {
        this.value = value;
    }

    /** The identifier of arbitrary text: SHA-1 of its UTF-8 bytes. */
    public static NodeId hash(String text) {
        return hash(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The identifier of arbitrary bytes: their SHA-1 digest. */
    public static NodeId hash(byte[] bytes) {
        return new NodeId(new BigInteger(1, sha1().digest(bytes)));
    }

    /** Any integer, reduced modulo 2^160. */
    public static NodeId of(BigInteger value) {
        return new NodeId(value.and(MASK));
    }

    public static NodeId of(long value) {
        return of(BigInteger.valueOf(value));
    }

    /**
     * Parses 1 to 40 hex digits (case-insensitive). Shorter strings are read as numbers, so
     * "ff" is 255.
     *
     * @throws IllegalArgumentException when the text is not 1-40 hex digits
     */
    public static NodeId parse(String hex) {
        Objects.requireNonNull(hex, "hex");
        if (hex.isEmpty() || hex.length() > HEX_LENGTH) {
            throw new IllegalArgumentException("an identifier is 1 to " + HEX_LENGTH + " hex digits, got " + hex.length());
        }
        for (int i = 0; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException("not a hex digit at position " + i + ": '" + hex.charAt(i) + "'");
            }
        }
        return new NodeId(new BigInteger(hex, 16));
    }

    /** A uniformly random identifier from the given generator (for simulations). */
    public static NodeId random(java.util.random.RandomGenerator random) {
        byte[] bytes = new byte[BITS / 8];
        random.nextBytes(bytes);
        return new NodeId(new BigInteger(1, bytes));
    }

    public BigInteger value() {
        return value;
    }

    /** this + 2^i mod 2^160, the start of finger i+1 in the paper's 1-based numbering. */
    public NodeId plusPowerOfTwo(int i) {
        if (i < 0 || i >= BITS) {
            throw new IllegalArgumentException("exponent must be in [0, " + BITS + "), got " + i);
        }
        return of(value.add(BigInteger.ONE.shiftLeft(i)));
    }

    public NodeId plus(NodeId other) {
        return of(value.add(other.value));
    }

    /** Clockwise distance from this identifier to {@code other}: (other - this) mod 2^160. */
    public BigInteger distanceTo(NodeId other) {
        return other.value.subtract(value).and(MASK);
    }

    /** Is this identifier in the open interval (from, to) going clockwise? (from, from) is the whole ring but from. */
    public boolean isBetweenOpen(NodeId from, NodeId to) {
        int c = from.value.compareTo(to.value);
        if (c < 0) {
            return value.compareTo(from.value) > 0 && value.compareTo(to.value) < 0;
        }
        if (c > 0) {
            return value.compareTo(from.value) > 0 || value.compareTo(to.value) < 0;
        }
        return !value.equals(from.value);
    }

    /** Is this identifier in (from, to] going clockwise? (from, from] is the whole ring. */
    public boolean isBetweenOpenClosed(NodeId from, NodeId to) {
        return value.equals(to.value) || isBetweenOpen(from, to);
    }

    /** Is this identifier in [from, to) going clockwise? [from, from) is the whole ring. */
    public boolean isBetweenClosedOpen(NodeId from, NodeId to) {
        return value.equals(from.value) || isBetweenOpen(from, to);
    }

    /** Is this identifier in [from, to] going clockwise? */
    public boolean isBetweenClosed(NodeId from, NodeId to) {
        return value.equals(from.value) || value.equals(to.value) || isBetweenOpen(from, to);
    }

    /** All 40 hex digits, zero-padded, lower case. */
    public String toHex() {
        String hex = value.toString(16);
        return hex.length() == HEX_LENGTH ? hex : "0".repeat(HEX_LENGTH - hex.length()) + hex;
    }

    /** The first 8 hex digits: enough to tell nodes apart in logs and pictures. */
    public String toShortHex() {
        return toHex().substring(0, 8);
    }

    /** The identifier as a fraction of the ring in [0, 1), for drawing. */
    public double toUnitInterval() {
        return value.doubleValue() / RING.doubleValue();
    }

    @Override
    public int compareTo(NodeId o) {
        return value.compareTo(o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return toShortHex();
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

}
