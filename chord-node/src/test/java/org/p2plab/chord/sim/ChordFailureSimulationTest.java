package org.p2plab.chord.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.overlay.NodeId;
import org.p2plab.overlay.stats.Samples;

/**
 * ToN 2003, Table II: 1,000 nodes with successor lists of 20; stabilization stopped; a fraction
 * p of the nodes fails at once; 10,000 lookups. No lookup may fail or return a wrong owner, and
 * the mean path length tracks the paper's.
 */
class ChordFailureSimulationTest {

    @ParameterizedTest(name = "p = {0}: mean path length near {1}")
    @CsvSource({"0.0, 3.84", "0.1, 4.03", "0.2, 4.22", "0.3, 4.44", "0.4, 4.69", "0.5, 5.09"})
    void lookupsSurviveMassiveSimultaneousFailure(double p, double paper) {
        ChordSimulation sim = ChordSimulation.wideArea(7, ChordParams.defaults().withSuccessorListSize(20).withReplicas(1));
        sim.buildStableRing(1000, Duration.ofHours(1));
        sim.stopMaintenance();

        List<ChordNode> nodes = new ArrayList<>(sim.liveNodes());
        int toFail = (int) Math.round(p * nodes.size());
        for (int i = 0; i < toFail; i++) {
            sim.crash(nodes.remove(sim.simulator().random().nextInt(nodes.size())));
        }
        assertThat(sim.size()).isEqualTo(1000 - toFail);

        Samples hops = new Samples();
        Samples timeouts = new Samples();
        int wrongOwner = 0;
        for (int i = 0; i < 10_000; i++) {
            ChordNode from = sim.randomLive();
            NodeId key = NodeId.random(sim.simulator().random());
            ChordNode.LookupResult result = from.lookup(key);   // throws if the lookup fails
            if (!result.owner().equals(sim.trueSuccessor(key))) {
                wrongOwner++;
            }
            hops.add(result.hops());
            timeouts.add(result.timeouts());
        }
        System.out.printf("Chord Table II p=%.1f: path %s (paper %.2f), timeouts mean %.2f%n", p, hops, paper,
                timeouts.mean());
        assertThat(wrongOwner).isZero();
        assertThat(hops.mean()).isCloseTo(paper, within(paper * 0.15));
        if (p == 0) {
            assertThat(timeouts.max()).isZero();
        } else {
            assertThat(timeouts.mean()).isPositive();
        }
    }
}
