package org.p2plab.overcast.content;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * A token bucket limiting a node's serving rate: every byte served takes a token, tokens come
 * back at {@code rate} per second up to {@code burst}. A caller that takes more than there are
 * goes into debt and waits it off, so concurrent transfers share the rate. A rate of 0 means no
 * limit. The rate can change while transfers run (the lab's knob).
 */
public final class TokenBucket {

    private final long burst;
    private final LongSupplier nanoTime;
    private long rate;
    private double tokens;
    private long last;

    public TokenBucket(long bytesPerSecond, long burst) {
        this(bytesPerSecond, burst, System::nanoTime);
    }

    TokenBucket(long bytesPerSecond, long burst, LongSupplier nanoTime) {
        if (burst <= 0) {
            throw new IllegalArgumentException("the burst is > 0 bytes, got " + burst);
        }
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.last = nanoTime.getAsLong();
        setRate(bytesPerSecond);
        this.tokens = burst;
    }

    public synchronized void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate is >= 0 bytes per second (0: unlimited), got " + bytesPerSecond);
        }
        refill();
        rate = bytesPerSecond;
    }

    public synchronized long rate() {
        return rate;
    }

    /** Takes {@code bytes} tokens; the nanoseconds the caller must wait before sending them (0: now). */
    public synchronized long take(long bytes) {
        if (rate == 0) {
            return 0;
        }
        refill();
        tokens -= bytes;
        return tokens >= 0 ? 0 : (long) Math.ceil(-tokens * 1e9 / rate);
    }

    /** Takes {@code bytes} tokens and waits until they may be sent. */
    public void acquire(long bytes) {
        long wait = take(bytes);
        long deadline = System.nanoTime() + wait;
        for (long left = wait; left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        if (rate > 0) {
            tokens = Math.min(burst, tokens + (now - last) * (double) rate / 1e9);
        }
        else {
            tokens = burst;
        }
        last = now;
    }
}
