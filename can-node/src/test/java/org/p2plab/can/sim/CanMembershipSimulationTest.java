package org.p2plab.can.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.protocol.Zone;

/** Small spaces, step by step: joins split zones, a leave hands a zone over, a crash is taken over. */
class CanMembershipSimulationTest {

    @Test
    void theFirstNodeOwnsTheSpaceAndEachJoinHalvesAZone() {
        CanSimulation sim = CanSimulation.wideArea(1, CanParams.defaults());
        CanNode first = sim.createSpace();
        assertThat(first.zones()).containsExactly(Zone.whole(2));
        assertThat(first.lookup(Point.ofFractions(0.3, 0.9)).hops()).isZero();

        CanNode second = sim.join();
        assertThat(first.volume() + second.volume()).isEqualTo(1.0);
        assertThat(first.volume()).isEqualTo(0.5);
        // split along x first: each owns a half [0,.5) x [0,1) or [.5,1) x [0,1)
        assertThat(first.zones().get(0).side(0)).isEqualTo(Point.SIZE / 2);
        assertThat(first.zones().get(0).side(1)).isEqualTo(Point.SIZE);
        assertThat(first.neighbours()).extracting(n -> n.node()).containsExactly(second.self());
        assertThat(second.neighbours()).extracting(n -> n.node()).containsExactly(first.self());

        sim.grow(16);
        assertThat(sim.isPartition()).isTrue();
        for (CanNode node : sim.liveNodes()) {
            assertThat(node.neighbours()).extracting(n -> n.node().address())
                    .containsExactlyInAnyOrderElementsOf(sim.trueNeighbours(node));
        }
        for (int i = 0; i < 200; i++) {
            Point p = Point.random(2, sim.simulator().random());
            CanNode.LookupResult r = sim.randomLive().lookup(p);
            assertThat(r.owner()).isEqualTo(sim.trueOwner(p).self());
            assertThat(r.path()).hasSize(r.hops());
            if (r.hops() > 0) {
                assertThat(r.path().get(r.hops() - 1)).isEqualTo(r.owner());
            }
        }
    }

    @Test
    void aLeavingNodeHandsItsZoneToANeighbourWhichMergesWhatItCan() {
        CanSimulation sim = CanSimulation.wideArea(2, CanParams.defaults());
        sim.grow(32);
        sim.startMaintenance();
        sim.simulator().runFor(Duration.ofSeconds(3));
        for (int i = 0; i < 8; i++) {
            CanNode leaver = sim.randomLive();
            double before = leaver.volume();
            assertThat(sim.leave(leaver)).isTrue();
            assertThat(sim.isPartition()).as("the zone changed hands at once").isTrue();
            assertThat(before).isPositive();
        }
        sim.simulator().runFor(Duration.ofSeconds(5));
        assertThat(sim.isPartition()).isTrue();
        for (CanNode node : sim.liveNodes()) {
            assertThat(node.neighbours()).extracting(n -> n.node().address())
                    .containsExactlyInAnyOrderElementsOf(sim.trueNeighbours(node));
            assertThat(node.pendingTakeovers()).as("a leave is not a death").isEmpty();
        }
        // no live node holds two zones that could be one
        for (CanNode node : sim.liveNodes()) {
            for (Zone a : node.zones()) {
                for (Zone b : node.zones()) {
                    assertThat(a.mergeWith(b)).isEmpty();
                }
            }
        }
    }

    @Test
    void aCrashedOwnersPointsFailFastUntilANeighbourTakesTheZoneOver() {
        CanSimulation sim = CanSimulation.wideArea(3, CanParams.defaults());
        sim.grow(32);
        sim.startMaintenance();
        sim.simulator().runFor(Duration.ofSeconds(3));
        CanNode victim = sim.randomLive();
        Point inside = victim.zones().get(0).centre();
        CanNode neighbour = sim.liveNodes().stream()
                .filter(x -> x.neighbours().stream().anyMatch(nb -> nb.node().equals(victim.self()))).findFirst().orElseThrow();
        sim.crash(victim);

        assertThatThrownBy(() -> neighbour.lookup(inside)).isInstanceOfSatisfying(CanNode.OwnerUnavailableException.class,
                e -> assertThat(e.owner()).isEqualTo(victim.self()));
        // lookups elsewhere still work: routes go around the dead zone
        for (int i = 0; i < 50; i++) {
            Point p = Point.random(2, sim.simulator().random());
            if (sim.trueOwner(p) != null) {
                assertThat(sim.randomLive().lookup(p).owner()).isEqualTo(sim.trueOwner(p).self());
            }
        }

        boolean takenOver = sim.simulator().runUntil(() -> sim.trueOwner(inside) != null, Duration.ofSeconds(30));
        assertThat(takenOver).isTrue();
        CanNode taker = sim.trueOwner(inside);
        assertThat(taker.takeovers()).isEqualTo(1);
        assertThat(neighbour.lookup(inside).owner()).isEqualTo(taker.self());
        sim.simulator().runFor(Duration.ofSeconds(5));
        assertThat(sim.isPartition()).isTrue();
    }

    @Test
    void badJoinsAreRefused() {
        CanSimulation sim = CanSimulation.wideArea(4, CanParams.defaults());
        CanNode first = sim.createSpace();
        assertThatThrownBy(() -> first.join(first.self())).isInstanceOf(IllegalArgumentException.class);
        CanNode other = sim.join();
        assertThatThrownBy(() -> other.join(first.self(), Point.ofFractions(0.5, 0.5, 0.5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimensions");
        assertThatThrownBy(() -> new CanParams(2, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), false, 10, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neighbourTimeout");
    }
}
