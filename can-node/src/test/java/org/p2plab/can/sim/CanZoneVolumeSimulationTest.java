package org.p2plab.can.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;

/**
 * Section 3.7, uniform partitioning: when a join splits the largest zone among the owner and
 * its neighbours instead of the owner's own, zone volumes spread far less. Volumes are reported
 * as multiples of V = 1/n, the volume every node would have in a perfect partition (zones are
 * powers of two times V/2^k, so the distribution has a few buckets).
 */
class CanZoneVolumeSimulationTest {

    static Map<Double, Double> distribution(CanSimulation sim) {
        Map<Double, Double> share = new TreeMap<>();
        int n = sim.size();
        for (CanNode node : sim.liveNodes()) {
            share.merge(node.volume() * n, 100.0 / n, Double::sum);
        }
        return share;
    }

    static double stddevOverMean(CanSimulation sim) {
        int n = sim.size();
        double mean = 1.0 / n;
        double var = sim.liveNodes().stream().mapToDouble(x -> Math.pow(x.volume() - mean, 2)).sum() / n;
        return Math.sqrt(var) / mean;
    }

    @Test
    void uniformPartitioningShrinksTheSpreadOfZoneVolumes() {
        int n = 4096;
        CanSimulation basic = CanSimulation.wideArea(3, CanParams.defaults());
        basic.grow(n);
        CanSimulation uniform = CanSimulation.wideArea(3, CanParams.defaults().withUniformPartitioning(true));
        uniform.grow(n);
        Map<Double, Double> b = distribution(basic);
        Map<Double, Double> u = distribution(uniform);
        System.out.println("  volume/V  % of nodes (basic)  % of nodes (uniform partitioning), n = " + n + ", d = 2");
        for (double v : new java.util.TreeSet<>(java.util.stream.Stream.concat(b.keySet().stream(), u.keySet().stream()).toList())) {
            System.out.printf("  %8.4f  %18.1f  %18.1f%n", v, b.getOrDefault(v, 0.0), u.getOrDefault(v, 0.0));
        }
        double sb = stddevOverMean(basic);
        double su = stddevOverMean(uniform);
        System.out.printf("  stddev/mean of volumes: basic %.2f, uniform %.2f%n", sb, su);

        assertThat(su).as("uniform partitioning: less spread").isLessThan(sb * 0.6);
        // with n a power of two, a perfect partition gives every node exactly V; uniform gets most there
        assertThat(u.getOrDefault(1.0, 0.0)).as("%% of nodes at exactly V, uniform").isGreaterThan(b.getOrDefault(1.0, 0.0) + 20);
        assertThat(u.keySet()).as("uniform: volumes within V/2..2V").allMatch(v -> v >= 0.5 && v <= 2);
        assertThat(b.keySet()).as("basic: zones from V/8 to 4V and more").anyMatch(v -> v <= 0.125).anyMatch(v -> v >= 4);
    }
}
