package org.p2plab.chord.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;

import org.p2plab.chord.protocol.ChordNode;
import org.p2plab.chord.protocol.ChordParams;
import org.p2plab.chord.sim.ChordSimulation;
import org.p2plab.overlay.NodeId;

/**
 * How far the Chord simulator scales on one machine: for each ring size N, the wall time to
 * build a stable ring by joins ({@link ChordSimulation#buildStableRing}), the simulated messages
 * that took and how many were simulated per wall second, the heap the stable ring holds, and how
 * many random lookups per wall second a stable ring answers.
 * <p>
 * A plain {@code main}, not a test: run it through {@code scripts/bench-chord-sim.sh}.
 * <pre>
 *   ChordSimulatorBenchmark [--lookups 100000] [--warmup 20000] [--seed 42] N...
 * </pre>
 * Lookups are timed twice: as the path-length tests pick their start node
 * ({@code sim.randomLive()}, which copies the live set on every call), and with the live nodes
 * fetched once and indexed at random, so the cost of the lookup itself can be told apart.
 * Results go to standard output as markdown table rows.
 */
public final class ChordSimulatorBenchmark {

    private ChordSimulatorBenchmark() {
    }

    public static void main(String[] args) {
        int lookups = 100_000;
        int warmup = 20_000;
        long seed = 42;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lookups" -> lookups = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1024, 4096, 16384);
        }

        Runtime rt = Runtime.getRuntime();
        System.out.printf("# ChordSimulatorBenchmark %s%n", LocalDate.now());
        System.out.printf("# java %s (%s), %d CPUs, max heap %d MiB%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), rt.availableProcessors(), rt.maxMemory() >> 20);
        System.out.printf("# JVM flags: %s%n", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf("# params: ChordParams.defaults().withSuccessorListSize(1).withReplicas(1), wideArea(seed=%d),"
                + " buildStableRing(n, 1h), stopMaintenance(); %d warm-up + %d timed lookups%n", seed, warmup, lookups);
        System.out.println();
        System.out.println("| N | build wall s | simulated s | messages | messages/wall s | heap after build MiB "
                + "| bytes/node | lookups/s (randomLive) | lookups/s (start picked from a list) | mean hops | wrong owners (warm-up) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (int n : sizes) {
            run(n, seed, warmup, lookups);
        }
    }

    private static void run(int n, long seed, int warmup, int lookups) {
        ChordParams params = ChordParams.defaults().withSuccessorListSize(1).withReplicas(1);
        long heapBefore = usedHeapAfterGc();

        ChordSimulation sim = ChordSimulation.wideArea(seed, params);
        long t0 = System.nanoTime();
        sim.buildStableRing(n, Duration.ofHours(1));
        sim.stopMaintenance();
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long messages = sim.network().messages();
        Duration simulated = sim.simulator().now();
        Map<String, Long> byType = sim.network().messagesByType();

        long heapAfter = usedHeapAfterGc();
        long bytesPerNode = (heapAfter - heapBefore) / n;

        RandomGenerator random = sim.simulator().random();
        // warm-up, also checked against the oracle
        int wrong = 0;
        for (int i = 0; i < warmup; i++) {
            NodeId key = NodeId.random(random);
            ChordNode.LookupResult r = sim.randomLive().lookup(key);
            if (!r.owner().equals(sim.trueSuccessor(key))) {
                wrong++;
            }
        }

        // timed, as specified: a random live start node per lookup via randomLive()
        sim.network().resetCounters();
        long hops = 0;
        long t1 = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            hops += sim.randomLive().lookup(NodeId.random(random)).hops();
        }
        double randomLiveSeconds = (System.nanoTime() - t1) / 1e9;
        Map<String, Long> lookupMessages = sim.network().messagesByType();

        // timed, the start node picked from a list fetched once
        List<ChordNode> nodes = sim.liveNodes();
        long hops2 = 0;
        long t2 = System.nanoTime();
        for (int i = 0; i < lookups; i++) {
            hops2 += nodes.get(random.nextInt(nodes.size())).lookup(NodeId.random(random)).hops();
        }
        double listSeconds = (System.nanoTime() - t2) / 1e9;

        System.out.printf(Locale.ROOT, "| %d | %.1f | %.0f | %,d | %,.0f | %.0f | %,d | %,.0f | %,.0f | %.2f | %d |%n",
                n, buildSeconds, simulated.toMillis() / 1000.0, messages, messages / buildSeconds, heapAfter / 1048576.0,
                bytesPerNode, lookups / randomLiveSeconds, lookups / listSeconds, (hops + hops2) / (2.0 * lookups), wrong);
        System.err.printf(Locale.ROOT, "N=%d build: messages by type %s; events run %,d%n", n, byType,
                sim.simulator().eventsRun());
        StringBuilder perLookup = new StringBuilder();
        lookupMessages.forEach((type, count) -> perLookup.append(String.format(Locale.ROOT, " %s=%.2f", type,
                count / (double) lookups)));
        System.err.printf(Locale.ROOT, "N=%d timed lookups: mean hops %.2f; messages per lookup:%s%n", n,
                hops / (double) lookups, perLookup);
        System.out.flush();
        java.lang.ref.Reference.reachabilityFence(sim);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
