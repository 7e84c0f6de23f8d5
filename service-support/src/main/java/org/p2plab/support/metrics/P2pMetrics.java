package org.p2plab.support.metrics;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The p2plab meter conventions (DESIGN.md "Metrics"), in one place so that every service exports
 * the names and tags the Grafana dashboards read:
 * <ul>
 *   <li>{@value #LOOKUP} — Timer, percentile histogram; tags {@code system, operation, outcome}
 *       (Prometheus: {@code p2p_lookup_seconds_bucket/_count/_sum});</li>
 *   <li>{@value #LOOKUP_HOPS} — DistributionSummary, percentile histogram; tag {@code system}
 *       ({@code p2p_lookup_hops_bucket});</li>
 *   <li>{@value #MESSAGES} — Counter; tags {@code system, type, direction}
 *       ({@code p2p_messages_total});</li>
 *   <li>state gauges named {@code p2p.<system>.<what>} with tag {@code system}.</li>
 * </ul>
 * The common tags {@code application} and {@code instance} are added to every meter by the
 * registry customizer in {@link P2pMetricsAutoConfiguration}.
 */
public class P2pMetrics {

    public static final String LOOKUP = "p2p.lookup";
    public static final String LOOKUP_HOPS = "p2p.lookup.hops";
    public static final String MESSAGES = "p2p.messages";

    /** {@code outcome} of a lookup that found the owner and the value/entry. */
    public static final String FOUND = "found";
    /** {@code outcome} of a lookup that reached the owner, who has nothing under the key. */
    public static final String NOT_FOUND = "not_found";
    /** {@code outcome} of a lookup that could not complete (peers down, no route, timeout). */
    public static final String FAILED = "failed";

    /** {@code direction} of a message this node received. */
    public static final String IN = "in";
    /** {@code direction} of a message this node sent. */
    public static final String OUT = "out";

    private static final Set<String> OUTCOMES = Set.of(FOUND, NOT_FOUND, FAILED);
    private static final Set<String> DIRECTIONS = Set.of(IN, OUT);

    private final MeterRegistry registry;

    public P2pMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** The registry the meters go to (for service-specific meters). */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Records one user-facing lookup: its latency under {@value #LOOKUP} and, if {@code hops >= 0},
     * its hop count under {@value #LOOKUP_HOPS}. Pass {@code hops = -1} when unknown (e.g. failed
     * before any hop).
     *
     * @param system    chord, can, napster, gnutella, publius, anycast, overcast
     * @param operation what was looked up, e.g. {@code get}, {@code find_successor}, {@code search}
     * @param outcome   {@link #FOUND}, {@link #NOT_FOUND} or {@link #FAILED}
     */
    public void recordLookup(String system, String operation, String outcome, Duration duration, int hops) {
        requireText(system, "system");
        requireText(operation, "operation");
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("outcome must be one of " + OUTCOMES + ", got: " + outcome);
        }
        if (duration == null || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be >= 0, got: " + duration);
        }
        lookupTimer(system, operation, outcome).record(duration);
        if (hops >= 0) {
            hops(system).record(hops);
        }
    }

    /**
     * Registers, at zero, the {@value #LOOKUP} timers of {@code operation} for these outcomes and
     * the system's {@value #LOOKUP_HOPS}, before anything has happened. A series that exists
     * from the start turns its first event into a visible increase: {@code rate()} over a counter
     * that appears already at 5 cannot see those 5, and a failure panel would show "No data"
     * until the second failure. Call it once per operation when the service starts.
     */
    public void prepare(String system, String operation, String... outcomes) {
        requireText(system, "system");
        requireText(operation, "operation");
        for (String outcome : outcomes) {
            if (!OUTCOMES.contains(outcome)) {
                throw new IllegalArgumentException("outcome must be one of " + OUTCOMES + ", got: " + outcome);
            }
            lookupTimer(system, operation, outcome);
        }
        hops(system);
    }

    /** The {@value #LOOKUP} timer for these tags (e.g. to use with {@link Timer#record(Supplier)}). */
    public Timer lookupTimer(String system, String operation, String outcome) {
        return Timer.builder(LOOKUP)
                .description("Latency of user-facing lookups, from request to answer")
                .tags("system", system, "operation", operation, "outcome", outcome)
                .publishPercentileHistogram(true)
                .minimumExpectedValue(Duration.ofNanos(100_000))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
    }

    private DistributionSummary hops(String system) {
        return DistributionSummary.builder(LOOKUP_HOPS)
                .description("Overlay hops a lookup took to reach the owner")
                .tag("system", system)
                .publishPercentileHistogram(true)
                .serviceLevelObjectives(0.5) // hop counts are integers: le=0.5 counts lookups answered locally (0 hops)
                .minimumExpectedValue(1.0)
                .maximumExpectedValue(128.0)
                .register(registry);
    }

    /** Counts one message of {@code type} sent ({@link #OUT}) or received ({@link #IN}). */
    public void message(String system, String type, String direction) {
        messages(system, type, direction).increment();
    }

    /** The {@value #MESSAGES} counter for these tags (keep it for hot paths). */
    public Counter messages(String system, String type, String direction) {
        requireText(system, "system");
        requireText(type, "type");
        if (!DIRECTIONS.contains(direction)) {
            throw new IllegalArgumentException("direction must be one of " + DIRECTIONS + ", got: " + direction);
        }
        return Counter.builder(MESSAGES)
                .description("Protocol messages sent and received")
                .tags("system", system, "type", type, "direction", direction)
                .register(registry);
    }

    /**
     * Registers a state gauge, e.g. {@code gauge("p2p.chord.fingers", "chord", ring::fingerCount)}.
     * The supplier is held strongly and read on every scrape; it must be cheap and thread-safe.
     */
    public Gauge gauge(String name, String system, Supplier<Number> value) {
        return gauge(name, system, Tags.empty(), value);
    }

    /** {@link #gauge(String, String, Supplier)} with extra tags. */
    public Gauge gauge(String name, String system, Iterable<io.micrometer.core.instrument.Tag> tags,
                       Supplier<Number> value) {
        requireText(name, "name");
        requireText(system, "system");
        Objects.requireNonNull(value, "value");
        return Gauge.builder(name, value)
                .tag("system", system)
                .tags(tags)
                .strongReference(true)
                .register(registry);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
    }
}
