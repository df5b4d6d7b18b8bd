package dev.tortie.shell.agent;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * A Prometheus-style cumulative histogram: fixed upper bounds, a count per bucket, the sum and the count. Lock-free;
 * {@link #snapshot()} is consistent enough for scraping (buckets are read one by one).
 */
public final class Histogram {
    /** What a scrape sees. {@code cumulative[i]} counts observations {@code <= bounds[i]}; the last is +Inf. */
    public record Snapshot(double[] bounds, long[] cumulative, double sum, long count) {}

    private final double[] bounds;
    private final AtomicLongArray counts;
    private final DoubleAdder sum = new DoubleAdder();

    public Histogram(double... bounds) {
        this.bounds = bounds.clone();
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException("bucket bounds must increase: " + Arrays.toString(bounds));
            }
        }
        this.counts = new AtomicLongArray(bounds.length + 1);
    }

    /** Buckets for durations from milliseconds to tens of seconds. */
    public static Histogram seconds() {
        return new Histogram(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30);
    }

    public void observe(double value) {
        int i = 0;
        while (i < bounds.length && value > bounds[i]) {
            i++;
        }
        counts.incrementAndGet(i);
        sum.add(value);
    }

    public Snapshot snapshot() {
        long[] cumulative = new long[bounds.length + 1];
        long running = 0;
        for (int i = 0; i <= bounds.length; i++) {
            running += counts.get(i);
            cumulative[i] = running;
        }
        return new Snapshot(bounds.clone(), cumulative, sum.sum(), running);
    }
}
