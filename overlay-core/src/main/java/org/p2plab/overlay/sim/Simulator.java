package org.p2plab.overlay.sim;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashSet;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

import org.p2plab.overlay.Timers;

/**
 * A deterministic discrete-event simulator: a virtual clock, an event queue ordered by virtual
 * time (ties by insertion order) and one seeded random generator. The same seed and the same
 * calls give the same run, event for event.
 * <p>
 * Protocol cores get their time from {@link #instantSource()} and their timers from
 * {@link #timersFor(String)}; timers of a node that is down ({@link #setUp(String, boolean)})
 * are skipped, as a crashed process runs nothing.
 * <p>
 * Synchronous calls between nodes (see {@link SimNetwork}) take modelled time: within the event
 * that makes them, the clock the node sees moves on by each call's latency, so a lookup measures
 * its own duration, and timers it sets count from there. Other events are not held back by it:
 * when the next event starts, that local offset is dropped (each node is its own process; one
 * node waiting on replies does not stop the others' clocks).
 * <p>
 * Not thread-safe: a simulation runs on one thread.
 */
public final class Simulator {

    /** Virtual time starts at this instant, so timestamps look plausible. */
    public static final Instant EPOCH = Instant.parse("2001-08-27T00:00:00Z");

    private final long seed;
    private final RandomGenerator random;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Set<String> down = new HashSet<>();
    private long nowNanos;
    private long offsetNanos;
    private long sequence;
    private long eventsRun;

    public Simulator(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    public long seed() {
        return seed;
    }

    /** The simulation's single source of randomness. */
    public RandomGenerator random() {
        return random;
    }

    /** Virtual time elapsed since the start. */
    public Duration now() {
        return Duration.ofNanos(nowNanos());
    }

    /** Virtual nanoseconds since the start, including the time taken by calls in the current event. */
    public long nowNanos() {
        return nowNanos + offsetNanos;
    }

    /** Virtual wall-clock time, for protocol cores. */
    public InstantSource instantSource() {
        return () -> EPOCH.plusNanos(nowNanos());
    }

    public long eventsRun() {
        return eventsRun;
    }

    public int pendingEvents() {
        return queue.size();
    }

    /** Schedules a task at now + delay, whatever the state of any node. */
    public Timers.Cancellable schedule(Duration delay, Runnable task) {
        return enqueue(null, delay, task);
    }

    /** Timers for one node: its tasks do not run while the node is down. */
    public Timers timersFor(String node) {
        Objects.requireNonNull(node, "node");
        return (delay, task) -> enqueue(node, delay, task);
    }

    /** Marks a node up or down; a down node's timers are skipped (and lost, like a crashed process's). */
    public void setUp(String node, boolean up) {
        if (up) {
            down.remove(node);
        } else {
            down.add(node);
        }
    }

    public boolean isUp(String node) {
        return !down.contains(node);
    }

    /** Moves the current event's clock forward while a synchronous call is in flight. */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not run backwards: " + duration);
        }
        offsetNanos += duration.toNanos();
    }

    /** Outside events (a test driving nodes directly), time taken by calls simply passes. */
    private void commitOffset() {
        nowNanos += offsetNanos;
        offsetNanos = 0;
    }

    /** Runs every event due within the next {@code duration} of virtual time; the clock ends there. */
    public void runFor(Duration duration) {
        commitOffset();
        long end = nowNanos + duration.toNanos();
        while (!queue.isEmpty() && queue.peek().at <= end) {
            runNext();
        }
        nowNanos = Math.max(nowNanos, end);
    }

    /**
     * Runs events until the condition holds (checked before each event) or {@code limit} of
     * virtual time has passed.
     *
     * @return whether the condition holds
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit) {
        commitOffset();
        long end = nowNanos + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (queue.isEmpty() || queue.peek().at > end) {
                nowNanos = Math.max(nowNanos, end);
                return condition.getAsBoolean();
            }
            runNext();
        }
        return true;
    }

    /**
     * Like {@link #runUntil(BooleanSupplier, Duration)}, but checks the condition only every
     * {@code checkEvery} of virtual time: for conditions that are costly to evaluate.
     */
    public boolean runUntil(BooleanSupplier condition, Duration limit, Duration checkEvery) {
        commitOffset();
        long end = nowNanos + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (nowNanos >= end) {
                return false;
            }
            runFor(Duration.ofNanos(Math.min(checkEvery.toNanos(), end - nowNanos)));
        }
        return true;
    }

    private void runNext() {
        Event event = queue.poll();
        offsetNanos = 0;
        nowNanos = Math.max(nowNanos, event.at);
        if (event.cancelled || (event.node != null && down.contains(event.node))) {
            return;
        }
        eventsRun++;
        event.task.run();
    }

    private Timers.Cancellable enqueue(String node, Duration delay, Runnable task) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
        }
        Event event = new Event(nowNanos() + delay.toNanos(), sequence++, node, task);
        queue.add(event);
        return () -> event.cancelled = true;
    }

    private static final class Event implements Comparable<Event> {
        final long at;
        final long seq;
        final String node;
        final Runnable task;
        boolean cancelled;

        Event(long at, long seq, String node, Runnable task) {
            this.at = at;
            this.seq = seq;
            this.node = node;
            this.task = task;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(at, o.at);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }
}
