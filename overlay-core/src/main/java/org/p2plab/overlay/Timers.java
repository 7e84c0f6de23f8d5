package org.p2plab.overlay;

import java.time.Duration;

/**
 * The one way a protocol core asks for time to pass: run a task once after a delay. A real
 * service backs it with a scheduled executor; the simulator with its virtual-time event queue.
 * Periodic work re-arms itself, with the jitter the protocol wants.
 */
@FunctionalInterface
public interface Timers {

    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may still be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }
}
