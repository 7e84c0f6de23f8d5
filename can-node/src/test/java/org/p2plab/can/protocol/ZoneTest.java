package org.p2plab.can.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Zones: the splitting order, merging, the torus neighbour relation and distances. */
class ZoneTest {

    static final long H = Point.SIZE / 2;
    static final long Q = Point.SIZE / 4;

    @Test
    void splitsAlongXThenYThenXAgain() {
        Zone whole = Zone.whole(2);
        assertThat(whole.volume()).isEqualTo(1.0);
        Zone[] x = whole.split();
        assertThat(x[0]).isEqualTo(Zone.of(new long[] {0, 0}, new long[] {H, Point.SIZE}));
        assertThat(x[1]).isEqualTo(Zone.of(new long[] {H, 0}, new long[] {Point.SIZE, Point.SIZE}));
        Zone[] y = x[1].split();
        assertThat(y[0]).isEqualTo(Zone.of(new long[] {H, 0}, new long[] {Point.SIZE, H}));
        assertThat(y[0].splitDimension()).isZero();
        assertThat(y[0].volume()).isEqualTo(0.25);
    }

    @Test
    void onlyZonesTheSplittingOrderProducesAreAccepted() {
        // y halved before x: never produced
        assertThatThrownBy(() -> Zone.of(new long[] {0, 0}, new long[] {Point.SIZE, H})).isInstanceOf(IllegalArgumentException.class);
        // not aligned to its side
        assertThatThrownBy(() -> Zone.of(new long[] {Q, 0}, new long[] {Q + H, Point.SIZE})).isInstanceOf(IllegalArgumentException.class);
        // not a power of two
        assertThatThrownBy(() -> Zone.of(new long[] {0, 0}, new long[] {3 * Q, Point.SIZE})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Zone.of(new long[] {0}, new long[] {H, H})).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void siblingsMergeBackOthersDoNot() {
        Zone[] x = Zone.whole(2).split();
        Zone[] right = x[1].split();
        assertThat(right[0].mergeWith(right[1])).contains(x[1]);
        assertThat(right[1].mergeWith(right[0])).contains(x[1]);
        assertThat(x[0].mergeWith(x[1])).contains(Zone.whole(2));
        // the left half and the lower right quarter abut, but are not halves of one split
        assertThat(x[0].mergeWith(right[0])).isEmpty();
        // two quarters that were split from different halves
        Zone[] left = x[0].split();
        assertThat(left[0].mergeWith(right[0])).isEmpty();
        assertThat(right[0].mergeWith(right[0])).isEmpty();
    }

    @Test
    void neighboursOverlapInDMinusOneDimensionsAndAbutInOneOnTheTorus() {
        Zone[] x = Zone.whole(2).split();
        Zone[] left = x[0].split();   // [0,.5)x[0,.5), [0,.5)x[.5,1)
        Zone[] right = x[1].split();  // [.5,1)x[0,.5), [.5,1)x[.5,1)
        assertThat(left[0].isNeighbour(right[0])).isTrue();   // abut in x, overlap in y
        assertThat(left[0].isNeighbour(left[1])).isTrue();    // abut in y
        assertThat(left[0].isNeighbour(right[1])).isFalse();  // only a corner in common
        // wrap-around: a zone at the top edge abuts the one at the bottom
        Zone[] lowerLeft = left[0].split();  // [0,.25)x[0,.5), [.25,.5)x[0,.5)
        Zone[] rightUpper = right[1].split(); // [.5,.75)x[.5,1), [.75,1)x[.5,1)
        assertThat(lowerLeft[0].isNeighbour(rightUpper[1])).isFalse(); // corner across the wrap
        Zone top = Zone.of(new long[] {0, H}, new long[] {Q, Point.SIZE});
        Zone bottom = lowerLeft[0];
        assertThat(top.isNeighbour(bottom)).isTrue();                  // y wraps: 1.0 == 0.0
        assertThat(Zone.whole(2).isNeighbour(Zone.whole(2))).isFalse();
    }

    @Test
    void distanceIsTorusDistanceToTheNearestPoint() {
        Zone z = Zone.of(new long[] {0, 0}, new long[] {Q, Q});  // [0,.25)^2
        assertThat(z.distanceSquared(Point.ofFractions(0.1, 0.1))).isZero();
        assertThat(z.distanceSquared(Point.ofFractions(0.5, 0.1))).isCloseTo(0.0625, within());
        // 0.9 is 0.1 away across the wrap
        assertThat(z.distanceSquared(Point.ofFractions(0.9, 0.1))).isCloseTo(0.01, within());
        assertThat(z.distanceSquared(Point.ofFractions(0.9, 0.9))).isCloseTo(0.02, within());
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    @Test
    void randomSplitsAlwaysPartitionTheSpace() {
        SplittableRandom random = new SplittableRandom(5);
        for (int d = 1; d <= 4; d++) {
            List<Zone> zones = new ArrayList<>(List.of(Zone.whole(d)));
            for (int i = 0; i < 500; i++) {
                Zone victim = zones.remove(random.nextInt(zones.size()));
                zones.addAll(List.of(victim.split()));
            }
            assertThat(zones.stream().mapToDouble(Zone::volume).sum()).isCloseTo(1.0, within());
            for (int i = 0; i < 2000; i++) {
                Point p = Point.random(d, random);
                assertThat(zones.stream().filter(z -> z.contains(p)).count()).isEqualTo(1);
            }
            assertThat(zones).allMatch(Zone::isCanonical);
        }
    }

    @Test
    void keysHashToStableUniformPoints() {
        Point a = Point.ofKey("hello", 3);
        assertThat(Point.ofKey("hello", 3)).isEqualTo(a);
        assertThat(Point.ofKey("hello", 2).get(0)).isEqualTo(a.get(0));
        assertThat(Point.ofKey("hellp", 3)).isNotEqualTo(a);
        // the four quadrants get about a quarter of 4000 keys each
        int[] quadrant = new int[4];
        for (int i = 0; i < 4000; i++) {
            Point p = Point.ofKey("key-" + i, 2);
            quadrant[(p.get(0) >= H ? 2 : 0) + (p.get(1) >= H ? 1 : 0)]++;
        }
        assertThat(java.util.Arrays.stream(quadrant).boxed().toList()).allSatisfy(c -> assertThat(c).isBetween(900, 1100));
        assertThatThrownBy(() -> Point.ofKey("k", 9)).isInstanceOf(IllegalArgumentException.class);
    }
}
