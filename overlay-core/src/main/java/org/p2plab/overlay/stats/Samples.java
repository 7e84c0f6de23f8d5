package org.p2plab.overlay.stats;

import java.util.Arrays;

/** A growable list of measurements with the summaries experiments report. */
public final class Samples {

    private double[] values = new double[64];
    private int size;

    public void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    public int count() {
        return size;
    }

    public double mean() {
        requireData();
        double sum = 0;
        for (int i = 0; i < size; i++) {
            sum += values[i];
        }
        return sum / size;
    }

    /** Population standard deviation. */
    public double stddev() {
        double mean = mean();
        double sq = 0;
        for (int i = 0; i < size; i++) {
            double d = values[i] - mean;
            sq += d * d;
        }
        return Math.sqrt(sq / size);
    }

    public double min() {
        return percentile(0);
    }

    public double max() {
        return percentile(100);
    }

    /** The p-th percentile (0..100), nearest-rank. */
    public double percentile(double p) {
        requireData();
        if (p < 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100]: " + p);
        }
        double[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * size);
        return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
    }

    private void requireData() {
        if (size == 0) {
            throw new IllegalStateException("no samples");
        }
    }

    @Override
    public String toString() {
        return size == 0 ? "no samples"
                : String.format("n=%d mean=%.3f sd=%.3f p50=%.3f p99=%.3f max=%.3f",
                        size, mean(), stddev(), percentile(50), percentile(99), max());
    }
}
