package io.keywatch.streams.aggregate;

/**
 * A key's learned normal request volume: exponentially weighted moving averages of its per-minute request count
 * and of the absolute deviation from that average, over its completed minutes.
 *
 * @param currentMinuteStart the minute the key is in now (epoch ms); it is folded in only once the next one opens
 * @param observedMinutes    completed minutes folded in so far, quiet ones included (saturates)
 */
public record VolumeBaseline(long currentMinuteStart, double mean, double deviation, int observedMinutes) {

    /** Quiet gaps longer than this are folded as this many zeros: by then the averages are ~0 anyway. */
    static final int MAX_FOLDED_GAP_MINUTES = 24 * 60;

    private static final long MINUTE_MS = 60_000L;

    public static VolumeBaseline startingAt(long minuteStart) {
        return new VolumeBaseline(minuteStart, 0.0, 0.0, 0);
    }

    /**
     * Completes the current minute with its final request count, folds the quiet minutes between it and
     * {@code newMinuteStart} as zeros, and moves on to {@code newMinuteStart}.
     */
    public VolumeBaseline advanceTo(long newMinuteStart, double completedMinuteRequests, double smoothing) {
        if (newMinuteStart <= currentMinuteStart) {
            return this;
        }
        long gap = (newMinuteStart - currentMinuteStart) / MINUTE_MS - 1;
        double m = mean;
        double d = deviation;
        long n = observedMinutes;
        // the first completed minute seeds the average instead of being averaged with an arbitrary zero
        if (n == 0) {
            m = completedMinuteRequests;
        } else {
            double weight = weight(n, smoothing);
            d = (1 - weight) * d + weight * Math.abs(completedMinuteRequests - m);
            m = (1 - weight) * m + weight * completedMinuteRequests;
        }
        n++;
        long folded = Math.min(gap, MAX_FOLDED_GAP_MINUTES);
        for (long i = 0; i < folded; i++) {
            double weight = weight(n + i, smoothing);
            d = (1 - weight) * d + weight * m;
            m = (1 - weight) * m;
        }
        n += gap;
        return new VolumeBaseline(newMinuteStart, m, d, (int) Math.min(n, Integer.MAX_VALUE));
    }

    /**
     * While a key has few minutes, its average is the plain mean of them (weight 1/(n+1)); only then does the
     * moving average take over. Otherwise the first, usually partial, minute would hold a new key's baseline far
     * below its real volume for many minutes and page someone the moment warm-up ends.
     */
    static double weight(long minutesSoFar, double smoothing) {
        return Math.max(smoothing, 1.0 / (minutesSoFar + 1));
    }

    /** Whether the average already rests on enough minutes to judge a new one an outlier. */
    public boolean settled(double smoothing) {
        return observedMinutes >= Math.ceil(1.0 / smoothing);
    }
}
