package org.p2plab.anycast.protocol;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The content server's teaching knobs, so that replicas differ and the resolver's choice
 * matters: a fixed extra processing time per request ({@code artificialDelay}) that a load
 * factor grows with the requests in progress:
 * {@code delay = artificialDelay × (1 + loadFactor × (concurrent − 1))}. Both can change while
 * the server runs. Thread-safe.
 */
public final class ServerLoad {

    /** The knobs. */
    public record Settings(Duration artificialDelay, double loadFactor) {
        public Settings {
            if (artificialDelay == null || artificialDelay.isNegative() || artificialDelay.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("the artificial delay is between 0 and 1 minute, got " + artificialDelay);
            }
            if (!(loadFactor >= 0 && loadFactor <= 100)) {
                throw new IllegalArgumentException("the load factor is between 0 and 100, got " + loadFactor);
            }
        }
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile Settings settings;

    public ServerLoad(Settings settings) {
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public void settings(Settings s) {
        settings = s;
    }

    /** A request starts; the extra time it takes given the requests now in progress (itself included). */
    public Duration enter() {
        return delayFor(inFlight.incrementAndGet());
    }

    /** A request is done. */
    public void exit() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The extra time a request takes when {@code concurrent} requests (>= 1) are in progress. */
    public Duration delayFor(int concurrent) {
        Settings s = settings;
        double factor = 1 + s.loadFactor() * Math.max(0, concurrent - 1);
        return Duration.ofNanos((long) Math.min(s.artificialDelay().toNanos() * factor, Duration.ofMinutes(5).toNanos()));
    }
}
