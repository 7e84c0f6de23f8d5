package org.p2plab.overlay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

class NodeIdTest {

    private static final NodeId TOP = NodeId.of(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.ONE));

    @Test
    void hashIsSha1OfUtf8() {
        // SHA-1("abc") from FIPS 180-2, appendix A
        assertThat(NodeId.hash("abc").toHex()).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
        assertThat(NodeId.hash("abc").toShortHex()).isEqualTo("a9993e36");
    }

    @Test
    void parseRoundTripsAndPadsHex() {
        NodeId id = NodeId.parse("FF");
        assertThat(id.value()).isEqualTo(BigInteger.valueOf(255));
        assertThat(id.toHex()).hasSize(40).startsWith("000").endsWith("ff");
        assertThat(NodeId.parse(id.toHex())).isEqualTo(id);
        assertThatThrownBy(() -> NodeId.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.parse("0".repeat(41))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.parse("12g4")).hasMessageContaining("position 2");
    }

    @Test
    void arithmeticWrapsModulo2To160() {
        assertThat(TOP.plusPowerOfTwo(0)).isEqualTo(NodeId.ZERO);
        assertThat(NodeId.of(5).plusPowerOfTwo(159).value()).isEqualTo(BigInteger.ONE.shiftLeft(159).add(BigInteger.valueOf(5)));
        assertThat(TOP.plusPowerOfTwo(159).value()).isEqualTo(BigInteger.ONE.shiftLeft(159).subtract(BigInteger.ONE));
        assertThat(NodeId.of(-1)).isEqualTo(TOP);
        assertThat(NodeId.of(10).distanceTo(NodeId.of(3))).isEqualTo(BigInteger.ONE.shiftLeft(160).subtract(BigInteger.valueOf(7)));
        assertThat(NodeId.of(3).distanceTo(NodeId.of(10))).isEqualTo(BigInteger.valueOf(7));
        assertThatThrownBy(() -> NodeId.ZERO.plusPowerOfTwo(160)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void intervalsWithoutWrap() {
        NodeId a = NodeId.of(10);
        NodeId b = NodeId.of(20);
        assertThat(NodeId.of(15).isBetweenOpen(a, b)).isTrue();
        assertThat(a.isBetweenOpen(a, b)).isFalse();
        assertThat(b.isBetweenOpen(a, b)).isFalse();
        assertThat(b.isBetweenOpenClosed(a, b)).isTrue();
        assertThat(a.isBetweenOpenClosed(a, b)).isFalse();
        assertThat(a.isBetweenClosedOpen(a, b)).isTrue();
        assertThat(b.isBetweenClosedOpen(a, b)).isFalse();
        assertThat(a.isBetweenClosed(a, b) && b.isBetweenClosed(a, b)).isTrue();
        assertThat(NodeId.of(25).isBetweenOpenClosed(a, b)).isFalse();
        assertThat(NodeId.of(5).isBetweenClosed(a, b)).isFalse();
    }

    @Test
    void intervalsAcrossZero() {
        NodeId from = TOP;            // 2^160 - 1
        NodeId to = NodeId.of(4);
        assertThat(NodeId.ZERO.isBetweenOpen(from, to)).isTrue();
        assertThat(NodeId.of(3).isBetweenOpen(from, to)).isTrue();
        assertThat(NodeId.of(4).isBetweenOpen(from, to)).isFalse();
        assertThat(NodeId.of(4).isBetweenOpenClosed(from, to)).isTrue();
        assertThat(NodeId.of(100).isBetweenOpenClosed(from, to)).isFalse();
        assertThat(TOP.isBetweenOpenClosed(from, to)).isFalse();
    }

    @Test
    void degenerateIntervalIsTheWholeRing() {
        NodeId n = NodeId.of(7);
        assertThat(NodeId.of(3).isBetweenOpen(n, n)).isTrue();
        assertThat(n.isBetweenOpen(n, n)).isFalse();
        assertThat(n.isBetweenOpenClosed(n, n)).isTrue();   // a lone node owns every key
        assertThat(NodeId.of(99).isBetweenOpenClosed(n, n)).isTrue();
    }

    @Test
    void orderingIsNumeric() {
        assertThat(NodeId.of(2)).isLessThan(NodeId.of(10));
        assertThat(NodeId.parse("0a")).isEqualByComparingTo(NodeId.of(10));
        assertThat(NodeId.of(255).toUnitInterval()).isBetween(0.0, 1e-40);
    }
}
