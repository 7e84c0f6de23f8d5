package org.p2plab.anycast.protocol;

import java.util.OptionalDouble;

/**
 * The content server's push daemon: it measures the TUFR of every request, smooths it
 * exponentially ({@code s = alpha × x + (1 − alpha) × s}), and pushes the smoothed value to the
 * resolver only when it has changed significantly since the last push (by more than
 * {@code threshold}, relative), so pushes stay light. Thread-safe.
 */
public final class TufrSmoother {

    private final double alpha;
    private final double threshold;
    private double smoothed = Double.NaN;
    private double lastPushed = Double.NaN;

    /**
     * @param alpha     weight of a new measurement, 0 < alpha <= 1
     * @param threshold relative change that warrants a push, >= 0 (0.2: 20%)
     */
    public TufrSmoother(double alpha, double threshold) {
        if (!(alpha > 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1], got " + alpha);
        }
        if (!(threshold >= 0) || Double.isInfinite(threshold)) {
            throw new IllegalArgumentException("the push threshold must be >= 0, got " + threshold);
        }
        this.alpha = alpha;
        this.threshold = threshold;
    }

    /** Folds one request's TUFR in; the new smoothed value. */
    public synchronized double observe(double tufrMillis) {
        if (!(tufrMillis >= 0) || Double.isInfinite(tufrMillis)) {
            throw new IllegalArgumentException("a TUFR is a finite number of milliseconds >= 0, got " + tufrMillis);
        }
        smoothed = Double.isNaN(smoothed) ? tufrMillis : alpha * tufrMillis + (1 - alpha) * smoothed;
        return smoothed;
    }

    /** The smoothed TUFR (what the probe file holds); empty before the first request. */
    public synchronized OptionalDouble smoothed() {
        return Double.isNaN(smoothed) ? OptionalDouble.empty() : OptionalDouble.of(smoothed);
    }

    /**
     * The value to push now, if the smoothed TUFR moved by more than the threshold since the last
     * push (the first value is always pushed); recorded as pushed.
     */
    public synchronized OptionalDouble pushIfSignificant() {
        if (Double.isNaN(smoothed)) {
            return OptionalDouble.empty();
        }
        boolean significant = Double.isNaN(lastPushed)
                || Math.abs(smoothed - lastPushed) > threshold * Math.max(lastPushed, ServerEstimate.MIN_TUFR_MILLIS);
        if (!significant) {
            return OptionalDouble.empty();
        }
        lastPushed = smoothed;
        return OptionalDouble.of(smoothed);
    }

    /**
     * The last push did not reach the resolver (or the resolver forgot this server): the next
     * {@link #pushIfSignificant()} pushes whatever the value is.
     */
    public synchronized void rearm() {
        lastPushed = Double.NaN;
    }
}
