package org.p2plab.anycast.protocol;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The resolver's filters, chained in the order a query names them: each narrows the set of
 * candidates, and the answer is then drawn at random from what is left (the Equivalent Server
 * set), so that clients spread over equally good servers instead of all rushing to the one best
 * and making it the worst (the oscillation the paper warns of).
 * <ul>
 *   <li>content-independent: {@code random} (one at random), {@code round-robin} (the next in turn);</li>
 *   <li>metric-based: {@code response-time} (estimates within {@code threshold} of the best),
 *       {@code load} (TUFR within {@code threshold} of the least loaded);</li>
 *   <li>policy-based: {@code cost} (the members of least cost).</li>
 * </ul>
 */
public sealed interface Filter {

    /** What every filter may use: the randomness, the group's round-robin turn, the equivalence threshold. */
    record Context(RandomGenerator random, AtomicLong turn, double threshold) {
    }

    List<Candidate> apply(List<Candidate> in, Context context);

    String name();

    /** The filter of a query's name or a Metric-Qualified ADN's metric (case-insensitive, '-'/'_' ignored). */
    static Filter named(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return switch (n) {
            case "random" -> new RandomChoice();
            case "roundrobin" -> new RoundRobin();
            case "responsetime", "rt", "time" -> RESPONSE_TIME;
            case "load", "serverload", "tufr" -> LOAD;
            case "cost", "mincost" -> new MinCost();
            default -> throw new IllegalArgumentException("unknown filter or metric '" + name
                    + "'; use random, round-robin, response-time, load (ServerLoad) or cost");
        };
    }

    /** Whether {@code name} names a filter (a Metric-Qualified ADN's metric, or a query's filter). */
    static boolean isMetric(String name) {
        try {
            named(name);
            return true;
        }
        catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** One candidate, uniformly at random. */
    record RandomChoice() implements Filter {
        @Override
        public List<Candidate> apply(List<Candidate> in, Context c) {
            return in.isEmpty() ? in : List.of(in.get(c.random().nextInt(in.size())));
        }

        @Override
        public String name() {
            return "random";
        }
    }

    /** The next candidate in turn (by id), the group's turn advancing on every query. */
    record RoundRobin() implements Filter {
        @Override
        public List<Candidate> apply(List<Candidate> in, Context c) {
            if (in.isEmpty()) {
                return in;
            }
            List<Candidate> sorted = new ArrayList<>(in);
            sorted.sort(Comparator.comparing(Candidate::id));
            return List.of(sorted.get((int) Math.floorMod(c.turn().getAndIncrement(), (long) sorted.size())));
        }

        @Override
        public String name() {
            return "round-robin";
        }
    }

    /** Members whose estimated response time is within the threshold of the best. */
    Filter RESPONSE_TIME = new WithinThreshold("response-time", Candidate::estimate);

    /** Members whose TUFR (server load) is within the threshold of the least loaded. */
    Filter LOAD = new WithinThreshold("load", Candidate::tufr);

    /**
     * A metric-based filter: the candidates whose metric is at most best × (1 + threshold).
     * Candidates without the metric yet are left out, unless none has it (then the filter cannot
     * tell them apart and keeps all).
     */
    record WithinThreshold(String name, Function<Candidate, OptionalDouble> metric) implements Filter {
        @Override
        public List<Candidate> apply(List<Candidate> in, Context c) {
            OptionalDouble best = in.stream().map(metric).filter(OptionalDouble::isPresent)
                    .mapToDouble(OptionalDouble::getAsDouble).min();
            if (best.isEmpty()) {
                return in;
            }
            double limit = best.getAsDouble() * (1 + c.threshold());
            return in.stream().filter(x -> metric.apply(x).isPresent() && metric.apply(x).getAsDouble() <= limit).toList();
        }
    }

    /** The members of least cost. */
    record MinCost() implements Filter {
        @Override
        public List<Candidate> apply(List<Candidate> in, Context c) {
            double min = in.stream().mapToDouble(Candidate::cost).min().orElse(0);
            return in.stream().filter(x -> x.cost() == min).toList();
        }

        @Override
        public String name() {
            return "cost";
        }
    }
}
