package org.p2plab.chord.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.stats.Samples;

/**
 * ToN 2003, figure 10(a): the mean path length of a lookup in a stable ring of N nodes is about
 * ½ log2 N. The base protocol of figure 5 (successor list of one, fingers only); rings built by
 * real joins and stabilization, not by setting state.
 */
class ChordPathLengthSimulationTest {

    @ParameterizedTest(name = "N = {0}: mean path length near {1}")
    @CsvSource({"64, 2.95", "256, 3.9", "1024, 4.9", "4096, 5.85"})
    void meanPathLengthMatchesThePaper(int n, double paper) {
        ChordSimulation sim = ChordSimulation.wideArea(42, ChordParams.defaults().withSuccessorListSize(1).withReplicas(1));
        sim.buildStableRing(n, Duration.ofHours(1));
        sim.stopMaintenance();

        Samples hops = new Samples();
        int wrongOwner = 0;
        for (int i = 0; i < 10_000; i++) {
            ChordNode from = sim.randomLive();
            NodeId key = NodeId.random(sim.simulator().random());
            ChordNode.LookupResult result = from.lookup(key);
            if (!result.owner().equals(sim.trueSuccessor(key))) {
                wrongOwner++;
            }
            assertThat(result.path()).hasSize(result.hops() + 1).startsWith(from.self());
            hops.add(result.hops());
        }
        System.out.printf("Chord path length N=%d: %s (paper %.2f)%n", n, hops, paper);
        assertThat(wrongOwner).isZero();
        assertThat(hops.mean()).isCloseTo(paper, within(paper * 0.10));
        assertThat(hops.max()).isLessThanOrEqualTo(2 * Math.log(n) / Math.log(2));
    }
}
