package org.p2plab.chord.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.chord.protocol.DhtEntry;
import org.p2plab.overlay.NodeId;

/**
 * Churn: nodes join and crash while lookups and writes run. Once the ring is stable again every
 * lookup is correct and no key is lost (crashes are spaced so that fewer than {@code replicas}
 * consecutive nodes are ever down before re-replication, the guarantee Chord's replication
 * gives).
 */
class ChordChurnSimulationTest {

    private static final Duration CHURN_PERIOD = Duration.ofSeconds(4);

    @Test
    void joinsAndCrashesUnderLoadLoseNoKeyAndEndCorrect() {
        ChordParams params = ChordParams.defaults(); // r = 8, replicas = 3, 1 s stabilize, 3 s sync
        ChordSimulation sim = ChordSimulation.wideArea(2024, params);
        sim.buildStableRing(100, Duration.ofHours(1));

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            put(sim, expected, "key-" + i, "value-" + i);
        }

        int joins = 0;
        int crashes = 0;
        int lookups = 0;
        int lookupsWrongDuringChurn = 0;
        for (int round = 0; round < 40; round++) {          // 160 s of churn
            if (round % 2 == 0) {
                sim.join();
                joins++;
            } else {
                sim.crash(sim.randomLive());
                crashes++;
            }
            for (int i = 0; i < 50; i++) {                     // lookups and writes while it settles
                NodeId id = NodeId.random(sim.simulator().random());
                try {
                    if (!sim.randomLive().lookup(id).owner().equals(sim.trueSuccessor(id))) {
                        lookupsWrongDuringChurn++;
                    }
                } catch (ChordNode.LookupFailedException e) {
                    lookupsWrongDuringChurn++;
                }
                lookups++;
            }
            for (int i = 0; i < 10; i++) {
                String key = "key-" + sim.simulator().random().nextInt(1000);
                put(sim, expected, key, "v" + round + "-" + i);
            }
            sim.simulator().runFor(CHURN_PERIOD);
        }
        System.out.printf("churn: %d joins, %d crashes, %d lookups, %d wrong or failed while churning%n",
                joins, crashes, lookups, lookupsWrongDuringChurn);

        sim.awaitStable(Duration.ofMinutes(10));
        sim.simulator().runFor(params.replicationInterval().multipliedBy(3));

        for (int i = 0; i < 2000; i++) {
            NodeId id = NodeId.random(sim.simulator().random());
            assertThat(sim.randomLive().lookup(id).owner()).isEqualTo(sim.trueSuccessor(id));
        }
        for (Map.Entry<String, String> e : expected.entrySet()) {
            ChordNode.GetResult got = sim.randomLive().get(e.getKey());
            assertThat(got.entry()).as("key %s", e.getKey()).isPresent();
            assertThat(new String(got.entry().get().value(), StandardCharsets.UTF_8)).isEqualTo(e.getValue());
            assertThat(got.lookup().owner()).isEqualTo(sim.trueSuccessor(NodeId.hash(e.getKey())));
        }
        // every key is back on `replicas` distinct live nodes
        for (String key : expected.keySet()) {
            long copies = sim.liveNodes().stream()
                    .filter(n -> n.store().get(key).filter(x -> !x.deleted()).isPresent()).count();
            assertThat(copies).as("copies of %s", key).isGreaterThanOrEqualTo(params.replicas());
        }
    }

    private static void put(ChordSimulation sim, Map<String, String> expected, String key, String value) {
        sim.randomLive().put(key, value.getBytes(StandardCharsets.UTF_8), "text/plain");
        expected.put(key, value);
    }

    @Test
    void gracefulLeaveHandsKeysOnAndDeletesStayDeleted() {
        ChordSimulation sim = ChordSimulation.wideArea(5, ChordParams.defaults());
        sim.buildStableRing(20, Duration.ofHours(1));
        for (int i = 0; i < 200; i++) {
            sim.randomLive().put("k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8), "text/plain");
        }
        assertThat(sim.randomLive().delete("k7").existed()).isTrue();
        assertThat(sim.randomLive().delete("k7").existed()).isFalse();

        List<ChordNode> leavers = sim.liveNodes().subList(0, 5);
        for (ChordNode n : List.copyOf(leavers)) {
            sim.leave(n);
            assertThat(n.store().all()).isEmpty();
        }
        sim.awaitStable(Duration.ofMinutes(5));
        sim.simulator().runFor(Duration.ofSeconds(30));

        for (int i = 0; i < 200; i++) {
            ChordNode.GetResult got = sim.randomLive().get("k" + i);
            if (i == 7) {
                assertThat(got.entry()).isEmpty();
            } else {
                assertThat(got.entry().map(DhtEntry::value).map(v -> new String(v, StandardCharsets.UTF_8)))
                        .hasValue("v" + i);
            }
        }
    }
}
