package org.p2plab.can.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.can.protocol.Point;

/**
 * Section 2.3: 20% of the nodes crash at once. The survivors notice the silence of their
 * neighbours, run the takeover algorithm, and then the live nodes' zones partition the space
 * again, every lookup reaches the true owner of its point, and every neighbour set is exact.
 * Adjacent dead nodes are taken over in chains: a dead neighbour of a taken-over zone becomes
 * the taker's suspect in turn.
 */
class CanFailureSimulationTest {

    @Test
    void twoDimensionsRecoverFromTwentyPercentCrashing() {
        crashAndRecover(4096, 2, 11);
    }

    @Test
    void threeDimensionsRecoverFromTwentyPercentCrashing() {
        crashAndRecover(2048, 3, 12);
    }

    static void crashAndRecover(int n, int d, long seed) {
        CanSimulation sim = CanSimulation.wideArea(seed, CanParams.defaults().withDimensions(d));
        sim.grow(n);
        sim.startMaintenance();
        sim.simulator().runFor(Duration.ofSeconds(5));
        assertThat(sim.isPartition()).isTrue();
        assertThat(sim.liveNodes().stream().mapToLong(CanNode::takeovers).sum()).as("no takeover while all live").isZero();

        List<CanNode> all = new ArrayList<>(sim.liveNodes());
        int crashes = n / 5;
        for (int i = 0; i < crashes; i++) {
            sim.crash(all.remove(sim.simulator().random().nextInt(all.size())));
        }
        assertThat(sim.coveredVolume()).isLessThan(0.9);

        Duration start = sim.simulator().now();
        boolean recovered = sim.simulator().runUntil(
                () -> sim.isPartition() && sim.liveNodes().stream().allMatch(x -> x.pendingTakeovers().isEmpty()),
                Duration.ofMinutes(2), Duration.ofSeconds(1));
        assertThat(recovered).as("zones partition the space again within 2 min").isTrue();
        Duration took = sim.simulator().now().minus(start);
        long takeovers = sim.liveNodes().stream().mapToLong(CanNode::takeovers).sum();
        assertThat(takeovers).as("every dead zone was taken over, some in chains").isGreaterThanOrEqualTo(crashes);

        int lookups = 2000;
        long hops = 0;
        for (int i = 0; i < lookups; i++) {
            Point p = Point.random(d, sim.simulator().random());
            CanNode.LookupResult r = sim.randomLive().lookup(p);
            assertThat(r.owner()).as("owner of %s", p).isEqualTo(sim.trueOwner(p).self());
            hops += r.hops();
        }
        for (int i = 0; i < 200; i++) {
            CanNode x = sim.randomLive();
            assertThat(x.neighbours()).extracting(nb -> nb.node().address())
                    .containsExactlyInAnyOrderElementsOf(sim.trueNeighbours(x));
        }
        System.out.printf("  d=%d n=%d: %d crashed; partition again after %ds virtual (%d takeovers); %d lookups all "
                + "correct, mean %.2f hops%n", d, n, crashes, took.toSeconds(), takeovers, lookups, hops / (double) lookups);
    }
}
