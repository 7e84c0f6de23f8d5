package org.p2plab.can.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.can.protocol.Point;

/**
 * The paper's scaling claims (section 2.1): for n nodes in d dimensions, the average routing
 * path is (d/4)·n^(1/d) hops and each node has 2d neighbours. Spaces of up to 2^14 nodes are
 * grown by joins at random points, and 2000 lookups of random points from random nodes are
 * counted (and a sample checked against the oracle).
 * <p>
 * The formula assumes equal zones. With the paper's uniform-partitioning check (a join splits
 * the largest zone around, section 3.7) the zones are nearly equal and every mean is within 15%.
 * Without it, zones differ by powers of two: routes cross the large zones in fewer hops, so
 * paths are 13-22% shorter than the formula, and nodes have a few more neighbours.
 */
class CanPathLengthSimulationTest {

    record Row(int d, int n, boolean uniform, double meanHops, double formula, double meanNeighbours) {
        double ratio() {
            return meanHops / formula;
        }
    }

    static Row measure(int d, int n, boolean uniform, long seed) {
        CanSimulation sim = CanSimulation.wideArea(seed, CanParams.defaults().withDimensions(d).withUniformPartitioning(uniform));
        sim.grow(n);
        assertThat(sim.isPartition()).as("the zones partition the space").isTrue();
        long hops = 0;
        int lookups = 2000;
        for (int i = 0; i < lookups; i++) {
            Point p = Point.random(d, sim.simulator().random());
            CanNode from = sim.randomLive();
            CanNode.LookupResult r = from.lookup(p);
            assertThat(r.zones()).as("the owner's zones contain %s", p).anyMatch(z -> z.contains(p));
            if (i < 200) { // the oracle scans every node: checked on a sample
                assertThat(r.owner()).as("owner of %s", p).isEqualTo(sim.trueOwner(p).self());
            }
            hops += r.hops();
        }
        double neighbours = sim.liveNodes().stream().mapToInt(x -> x.neighbours().size()).average().orElseThrow();
        // every node's neighbour set is exactly the zones that abut its own (sampled)
        for (int i = 0; i < 30; i++) {
            CanNode x = sim.randomLive();
            assertThat(x.neighbours()).extracting(nb -> nb.node().address())
                    .containsExactlyInAnyOrderElementsOf(sim.trueNeighbours(x));
        }
        return new Row(d, n, uniform, hops / (double) lookups, d / 4.0 * Math.pow(n, 1.0 / d), neighbours);
    }

    @Test
    void withUniformPartitioningPathsAreWithinFifteenPercentOfTheFormulaAndNodesHaveAbout2dNeighbours() {
        List<Row> rows = new ArrayList<>();
        for (int d = 2; d <= 4; d++) {
            for (int n : new int[] {1024, 4096, 16384}) {
                Row row = measure(d, n, true, 42);
                rows.add(row);
                assertThat(row.ratio()).as("d=%d n=%d: %.2f hops vs (d/4)n^(1/d) = %.2f", d, n, row.meanHops(), row.formula())
                        .isBetween(0.85, 1.15);
                assertThat(row.meanNeighbours()).as("d=%d n=%d neighbours", d, n).isBetween(2.0 * d, 2.0 * d * 1.15);
            }
        }
        print(rows);
    }

    @Test
    void withoutItZonesDifferAndPathsAreShorterThanTheFormula() {
        List<Row> rows = new ArrayList<>();
        for (int d = 2; d <= 4; d++) {
            for (int n : new int[] {1024, 4096, 16384}) {
                Row row = measure(d, n, false, 42);
                rows.add(row);
                assertThat(row.ratio()).as("d=%d n=%d: %.2f hops vs %.2f", d, n, row.meanHops(), row.formula()).isBetween(0.7, 1.0);
                assertThat(row.meanNeighbours()).as("d=%d n=%d neighbours", d, n).isBetween(2.0 * d, 2.0 * d * 1.3);
            }
        }
        print(rows);
    }

    /** Grows in d^(1/d)... the shape of the paper's Figure 4: more dimensions, much shorter paths. */
    @Test
    void moreDimensionsShortenPathsAtEverySize() {
        for (int n : new int[] {1024, 4096}) {
            double previous = Double.MAX_VALUE;
            for (int d = 2; d <= 4; d++) {
                double hops = measure(d, n, true, 7).meanHops();
                assertThat(hops).as("n=%d d=%d", n, d).isLessThan(previous);
                previous = hops;
            }
        }
    }

    private static void print(List<Row> rows) {
        System.out.println("  d      n  uniform  mean hops  (d/4)n^(1/d)  ratio  neighbours (2d)");
        for (Row r : rows) {
            System.out.printf("  %d  %5d  %-7s  %9.2f  %12.2f  %5.2f  %5.2f (%d)%n", r.d(), r.n(), r.uniform(), r.meanHops(),
                    r.formula(), r.ratio(), r.meanNeighbours(), 2 * r.d());
        }
    }
}
