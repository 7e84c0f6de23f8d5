package org.p2plab.overcast.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Evidence 2 of issue 9, in the simulator: on a transit-stub graph of about 600 routers, for 100
 * to 600 nodes (3 seeds each), the tree the nodes build delivers at least 70% of the bandwidth IP
 * multicast would give each node (the paper: 70-100%) at a network load below twice IP
 * multicast's. With link sharing modelled (every overlay link a flow splitting the capacity of
 * the links it crosses) the share is lower, but still many times the star's, every node fed by
 * the root, which costs 2.5-6 times IP multicast's load.
 */
class OvercastTreeSimulationTest {

    @ParameterizedTest
    @ValueSource(ints = {100, 200, 300, 400, 500, 600})
    void theTreeDeliversMostOfIpMulticastsBandwidthAtLessThanTwiceItsLoad(int n) {
        double fraction = 0;
        double shared = 0;
        double load = 0;
        double star = 0;
        int seeds = 3;
        for (long seed = 1; seed <= seeds; seed++) {
            TransitStubTopology topology = new TransitStubTopology(TransitStubTopology.Params.paperLike(), new SplittableRandom(seed));
            OvercastTreeSimulation.Result r = new OvercastTreeSimulation(topology, n, seed).run(20);
            System.out.printf("n=%d seed=%d fraction=%.3f shared=%.3f load=%.3f depth=%d rounds=%d moves=%d "
                    + "star: fraction=%.3f shared=%.3f load=%.3f%n", n, seed, r.bandwidthFraction(), r.sharedBandwidthFraction(),
                    r.networkLoadRatio(), r.maxDepth(), r.rounds(), r.moves(), r.starBandwidthFraction(),
                    r.starSharedBandwidthFraction(), r.starNetworkLoadRatio());
            fraction += r.bandwidthFraction() / seeds;
            shared += r.sharedBandwidthFraction() / seeds;
            load += r.networkLoadRatio() / seeds;
            star += r.starSharedBandwidthFraction() / seeds;
        }
        assertThat(fraction).as("the tree's share of IP multicast's bandwidth").isGreaterThanOrEqualTo(0.7);
        assertThat(load).as("network load over IP multicast's").isLessThan(2.0);
        assertThat(shared).as("with link sharing, against the star's %.3f", star).isGreaterThan(3 * star);
    }
}
