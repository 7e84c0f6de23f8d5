package org.p2plab.overlay.sim;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.p2plab.overlay.PeerUnavailableException;

/**
 * Synchronous request/response between simulated nodes. A call to a node that is up costs one
 * message each way and advances the virtual clock by the modelled round trip; a call to a node
 * that is down (or unknown) advances the clock by the timeout and throws
 * {@link PeerUnavailableException}, as a real transport would. Every call is counted by
 * message type, so experiments can report message costs.
 */
public final class SimNetwork {

    private final Simulator simulator;
    private final LatencyModel latency;
    private final Duration timeout;
    private final Map<String, Long> messagesByType = new TreeMap<>();
    private long messages;
    private long timeouts;

    public SimNetwork(Simulator simulator, LatencyModel latency, Duration timeout) {
        this.simulator = Objects.requireNonNull(simulator, "simulator");
        this.latency = Objects.requireNonNull(latency, "latency");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public Simulator simulator() {
        return simulator;
    }

    /**
     * Delivers a request from {@code from} to {@code to} and returns the handler's reply.
     *
     * @param type the message type, for accounting
     * @param handler runs "at" the destination, after the request's one-way delay
     * @throws PeerUnavailableException when the destination is down
     */
    public <R> R call(String from, String to, String type, Supplier<R> handler) {
        if (from.equals(to)) {
            return handler.get();
        }
        messages++;
        messagesByType.merge(type, 1L, Long::sum);
        if (!simulator.isUp(to)) {
            timeouts++;
            simulator.advance(timeout);
            throw new PeerUnavailableException(to, "simulated timeout calling " + to + " (" + type + ")");
        }
        simulator.advance(latency.oneWay(from, to));
        R reply = handler.get();
        simulator.advance(latency.oneWay(to, from));
        return reply;
    }

    /** A call without a reply value. */
    public void send(String from, String to, String type, Runnable handler) {
        call(from, to, type, () -> {
            handler.run();
            return null;
        });
    }

    /** Requests sent so far (a request and its reply count as one). */
    public long messages() {
        return messages;
    }

    public long timeouts() {
        return timeouts;
    }

    /** Requests sent so far, by type. */
    public Map<String, Long> messagesByType() {
        return Map.copyOf(messagesByType);
    }

    public void resetCounters() {
        messages = 0;
        timeouts = 0;
        messagesByType.clear();
    }
}
