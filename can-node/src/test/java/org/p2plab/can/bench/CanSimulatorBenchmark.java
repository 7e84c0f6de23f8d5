package org.p2plab.can.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.p2plab.can.protocol.CanNode;
import org.p2plab.can.protocol.CanParams;
import org.p2plab.can.protocol.Point;
import org.p2plab.can.sim.CanSimulation;

/**
 * Simulator scale for CAN (not a test; scripts/bench-can-sim.sh runs it): for each size, grow a
 * space by joins, time random lookups, estimate the heap per node, then crash 20% and time the
 * recovery (virtual and wall time, messages). Prints markdown table rows.
 * <p>
 * Arguments: d n [n ...]; system property {@code lookups} (default 50000).
 */
public final class CanSimulatorBenchmark {

    private CanSimulatorBenchmark() {
    }

    public static void main(String[] args) {
        int d = Integer.parseInt(args[0]);
        int lookups = Integer.getInteger("lookups", 50_000);
        System.out.println("| d | n | grow (wall) | heap/node | lookups/s (wall) | mean hops | 20% crash: recovered after (virtual) | recovery wall | messages during recovery |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (int a = 1; a < args.length; a++) {
            int n = Integer.parseInt(args[a]);
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heap0 = rt.totalMemory() - rt.freeMemory();
            long t0 = System.nanoTime();
            CanSimulation sim = CanSimulation.wideArea(2026, CanParams.defaults().withDimensions(d));
            sim.grow(n);
            long t1 = System.nanoTime();
            System.gc();
            long heap1 = rt.totalMemory() - rt.freeMemory();

            long hops = 0;
            long t2 = System.nanoTime();
            for (int i = 0; i < lookups; i++) {
                hops += sim.randomLive().lookup(Point.random(d, sim.simulator().random())).hops();
            }
            long t3 = System.nanoTime();

            sim.startMaintenance();
            sim.simulator().runFor(Duration.ofSeconds(5));
            List<CanNode> all = new ArrayList<>(sim.liveNodes());
            for (int i = 0; i < n / 5; i++) {
                sim.crash(all.remove(sim.simulator().random().nextInt(all.size())));
            }
            sim.network().resetCounters();
            Duration start = sim.simulator().now();
            long t4 = System.nanoTime();
            boolean ok = sim.simulator().runUntil(
                    () -> sim.isPartition() && sim.liveNodes().stream().allMatch(x -> x.pendingTakeovers().isEmpty()),
                    Duration.ofMinutes(5), Duration.ofSeconds(1));
            long t5 = System.nanoTime();
            Duration recovery = sim.simulator().now().minus(start);
            int wrong = 0;
            for (int i = 0; i < 1000; i++) {
                Point p = Point.random(d, sim.simulator().random());
                if (!sim.randomLive().lookup(p).owner().equals(sim.trueOwner(p).self())) {
                    wrong++;
                }
            }
            System.out.printf("| %d | %d | %.1f s | %.1f KB | %.0f | %.2f | %s | %.1f s | %d (%s wrong of 1000 lookups after) |%n",
                    d, n, (t1 - t0) / 1e9, (heap1 - heap0) / 1024.0 / n, lookups / ((t3 - t2) / 1e9), hops / (double) lookups,
                    ok ? (recovery.toSeconds() + " s") : "not within 5 min",
                    (t5 - t4) / 1e9, sim.network().messages(), wrong);
            System.err.println("messages by type during recovery, n=" + n + ": " + sim.network().messagesByType());
        }
    }
}
