package org.p2plab.chord.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;
import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.overlay.kv.DhtEntry;
import org.p2plab.overlay.NodeId;

/**
 * Churn: nodes join and crash while lookups and writes run. Once the ring is stable again every
 * lookup is correct and no key is lost (crashes are spaced so that fewer than {@code replicas}
 * consecutive nodes are ever down before re-replication, the guarantee Chord's replication
 * gives).
 */
class ChordChurnSimulationTest {

    private static final Duration CHURN_PERIOD = Duration.ofSeconds(4);

    /** Joins, crashes, lookups and writes as events on the virtual clock: a crash every 8 s. */
    @Test
    void joinsAndCrashesUnderLoadLoseNoKeyAndEndCorrect() {
        churn(2024, true);
    }

    /**
     * The same churn driven from outside the event loop: each operation's latency freezes
     * every node's timers, as a long stall would, so replica syncs run late. A late owner must
     * never cost a copy.
     */
    @Test
    void churnWithStalledTimersLosesNoKey() {
        churn(77, false);
    }

    private static void churn(long seed, boolean asEvents) {
        ChordParams params = ChordParams.defaults(); // r = 8, replicas = 3, 1 s stabilize, 3 s sync
        ChordSimulation sim = ChordSimulation.wideArea(seed, params);
        sim.buildStableRing(100, Duration.ofHours(1));
        RandomGenerator random = sim.simulator().random();

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < 1000; i++) {
            put(sim, expected, "key-" + i, "value-" + i);
        }

        int[] counts = new int[4]; // joins, crashes, lookups, wrong-or-failed lookups during churn
        for (int round = 0; round < 40; round++) {          // 160 s of churn
            boolean join = round % 2 == 0;
            int r = round;
            at(sim, asEvents, 0, () -> {
                if (join) {
                    sim.join();
                    counts[0]++;
                } else {
                    sim.crash(sim.randomLive());
                    counts[1]++;
                }
            });
            for (int i = 0; i < 50; i++) {                     // lookups while it settles
                at(sim, asEvents, random.nextInt(4000), () -> {
                    NodeId id = NodeId.random(random);
                    counts[2]++;
                    try {
                        if (!sim.randomLive().lookup(id).owner().equals(sim.trueSuccessor(id))) {
                            counts[3]++;
                        }
                    } catch (ChordNode.LookupFailedException e) {
                        counts[3]++;
                    }
                });
            }
            for (int i = 0; i < 10; i++) {                     // and writes
                String key = "key-" + random.nextInt(1000);
                String value = "v" + r + "-" + i;
                at(sim, asEvents, random.nextInt(4000), () -> put(sim, expected, key, value));
            }
            sim.simulator().runFor(CHURN_PERIOD);
        }
        System.out.printf("churn (%s): %d joins, %d crashes, %d lookups, %d wrong or failed while churning%n",
                asEvents ? "events" : "stalled timers", counts[0], counts[1], counts[2], counts[3]);
        assertThat(counts[0]).isEqualTo(20);
        assertThat(counts[1]).isEqualTo(20);

        sim.awaitStable(Duration.ofMinutes(10));
        sim.simulator().runFor(params.replicationInterval().multipliedBy(3));

        for (int i = 0; i < 2000; i++) {
            NodeId id = NodeId.random(random);
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

    /** Runs the action as an event after {@code millis}, or right away outside the event loop. */
    private static void at(ChordSimulation sim, boolean asEvent, int millis, Runnable action) {
        if (asEvent) {
            sim.simulator().schedule(Duration.ofMillis(millis), action);
        } else {
            action.run();
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
