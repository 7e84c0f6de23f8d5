package org.p2plab.overlay.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.p2plab.overlay.Jitter;
import org.p2plab.overlay.PeerUnavailableException;
import org.p2plab.overlay.Timers;

class SimulatorTest {

    @Test
    void eventsRunInVirtualTimeOrderWithTiesInInsertionOrder() {
        Simulator sim = new Simulator(1);
        List<String> log = new ArrayList<>();
        sim.schedule(Duration.ofSeconds(2), () -> log.add("b@" + sim.now().toSeconds()));
        sim.schedule(Duration.ofSeconds(1), () -> log.add("a@" + sim.now().toSeconds()));
        sim.schedule(Duration.ofSeconds(2), () -> log.add("c@" + sim.now().toSeconds()));
        sim.runFor(Duration.ofMillis(1500));
        assertThat(log).containsExactly("a@1");
        sim.runFor(Duration.ofSeconds(5));
        assertThat(log).containsExactly("a@1", "b@2", "c@2");
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(6500));
    }

    @Test
    void cancelledAndDownNodeTimersDoNotRun() {
        Simulator sim = new Simulator(1);
        List<String> log = new ArrayList<>();
        Timers.Cancellable c = sim.timersFor("n1").schedule(Duration.ofSeconds(1), () -> log.add("cancelled"));
        sim.timersFor("n2").schedule(Duration.ofSeconds(1), () -> log.add("down"));
        sim.timersFor("n3").schedule(Duration.ofSeconds(1), () -> log.add("up"));
        c.cancel();
        sim.setUp("n2", false);
        sim.runFor(Duration.ofSeconds(2));
        assertThat(log).containsExactly("up");
        assertThat(sim.eventsRun()).isEqualTo(1);
    }

    @Test
    void sameSeedSameRun() {
        assertThat(trace(42)).isEqualTo(trace(42)).isNotEqualTo(trace(43));
    }

    private static List<Long> trace(long seed) {
        Simulator sim = new Simulator(seed);
        List<Long> log = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Runnable[] self = new Runnable[1];
            self[0] = () -> {
                log.add(sim.nowNanos());
                if (log.size() < 50) {
                    sim.schedule(Jitter.around(Duration.ofSeconds(1), sim.random()), self[0]);
                }
            };
            sim.schedule(Jitter.around(Duration.ofSeconds(1), sim.random()), self[0]);
        }
        sim.runFor(Duration.ofMinutes(1));
        return log;
    }

    @Test
    void runUntilStopsWhenConditionHoldsOrLimitPasses() {
        Simulator sim = new Simulator(1);
        int[] count = {0};
        Runnable[] tick = new Runnable[1];
        tick[0] = () -> {
            count[0]++;
            sim.schedule(Duration.ofSeconds(1), tick[0]);
        };
        sim.schedule(Duration.ofSeconds(1), tick[0]);
        assertThat(sim.runUntil(() -> count[0] >= 3, Duration.ofMinutes(1))).isTrue();
        assertThat(sim.now()).isEqualTo(Duration.ofSeconds(3));
        assertThat(sim.runUntil(() -> count[0] >= 100, Duration.ofSeconds(10))).isFalse();
        assertThat(sim.now()).isEqualTo(Duration.ofSeconds(13));
    }

    @Test
    void networkCountsMessagesAddsLatencyAndTimesOutOnDownNodes() {
        Simulator sim = new Simulator(7);
        SimNetwork net = new SimNetwork(sim, LatencyModel.constant(Duration.ofMillis(10)), Duration.ofMillis(500));
        int reply = net.call("a", "b", "ping", () -> 42);
        assertThat(reply).isEqualTo(42);
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(20));
        net.call("a", "a", "ping", () -> 1);           // local: free
        assertThat(net.messages()).isEqualTo(1);

        sim.setUp("b", false);
        assertThatThrownBy(() -> net.call("a", "b", "find", () -> 1))
                .isInstanceOf(PeerUnavailableException.class)
                .extracting(e -> ((PeerUnavailableException) e).address()).isEqualTo("b");
        assertThat(sim.now()).isEqualTo(Duration.ofMillis(520));
        assertThat(net.timeouts()).isEqualTo(1);
        assertThat(net.messagesByType()).containsEntry("ping", 1L).containsEntry("find", 1L);

        sim.setUp("b", true);
        assertThat(net.call("a", "b", "find", () -> 2)).isEqualTo(2);
    }

    @Test
    void perPairLatencyIsSymmetricStableAndInRange() {
        LatencyModel m = LatencyModel.uniformPerPair(Duration.ofMillis(5), Duration.ofMillis(100), 3);
        for (int i = 0; i < 200; i++) {
            Duration d = m.oneWay("n" + i, "n" + (i * 7 + 1));
            assertThat(d).isBetween(Duration.ofMillis(5), Duration.ofMillis(100));
            assertThat(m.oneWay("n" + (i * 7 + 1), "n" + i)).isEqualTo(d);
        }
        assertThat(m.oneWay("x", "x")).isEqualTo(Duration.ZERO);
    }
}
