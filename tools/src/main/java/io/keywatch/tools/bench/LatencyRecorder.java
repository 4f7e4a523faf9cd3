package io.keywatch.tools.bench;

import java.util.Arrays;

/**
 * Collects latencies (nanoseconds) from any thread and answers percentiles by the nearest-rank method: the p-th
 * percentile is the smallest sample with at least p % of the samples at or below it.
 */
public final class LatencyRecorder {

    private long[] samples = new long[1024];
    private int size;

    public synchronized void record(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("a latency cannot be negative, got " + nanos + " ns");
        }
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    public synchronized int count() {
        return size;
    }

    /** The percentile in nanoseconds, or -1 without samples. */
    public synchronized long percentileNanos(double percentile) {
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + percentile);
        }
        if (size == 0) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(percentile / 100.0 * size);
        return sorted[Math.max(rank, 1) - 1];
    }

    public synchronized long maxNanos() {
        return size == 0 ? -1 : Arrays.stream(samples, 0, size).max().orElse(-1);
    }

    /** p50, p99 and max in milliseconds; -1 for each without samples. */
    public Latencies summary() {
        return new Latencies(count(), millis(percentileNanos(50)), millis(percentileNanos(99)), millis(maxNanos()));
    }

    private static double millis(long nanos) {
        return nanos < 0 ? -1 : nanos / 1_000_000.0;
    }

    /** A latency distribution in milliseconds. */
    public record Latencies(int samples, double p50Ms, double p99Ms, double maxMs) {
    }
}
