package org.p2plab.overlay;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;


/**
 * Real timers for a protocol core: one scheduler thread fires them and each task runs on its
 * own virtual thread, so a task blocked on a slow peer delays nothing else.
 */
public final class ExecutorTimers implements Timers, AutoCloseable {

    private final ScheduledExecutorService scheduler;

    public ExecutorTimers(String name) {
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name + "-timers");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        if (scheduler.isShutdown()) {
            return () -> { };
        }
        ScheduledFuture<?> f = scheduler.schedule(() -> Thread.ofVirtual().start(task), delay.toNanos(),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
