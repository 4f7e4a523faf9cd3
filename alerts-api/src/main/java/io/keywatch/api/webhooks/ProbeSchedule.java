package io.keywatch.api.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to probe a FAILING endpoint (one whose delivery used up its {@link RetrySchedule}): the n-th probe waits
 * {@code initial * 2^(n-1)}, capped at {@code max}, give or take the jitter, so that an endpoint down for days is
 * probed about once an {@code max} and one that comes back is found within minutes.
 *
 * @param initial the wait before the first probe (default 1 min)
 * @param max     the longest wait between probes (default 1 h)
 * @param jitter  the fraction a wait may move either way, 0 to 1
 */
public record ProbeSchedule(Duration initial, Duration max, double jitter) {

    public static final Duration DEFAULT_INITIAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_MAX = Duration.ofHours(1);
    public static final ProbeSchedule DEFAULT = new ProbeSchedule(DEFAULT_INITIAL, DEFAULT_MAX,
            RetrySchedule.DEFAULT_JITTER);

    public ProbeSchedule {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_WEBHOOK_PROBE_INITIAL_MS must be positive, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("KEYWATCH_WEBHOOK_PROBE_MAX_MS (" + max.toMillis()
                    + ") must be at least KEYWATCH_WEBHOOK_PROBE_INITIAL_MS (" + initial.toMillis() + ")");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be at least 0 and below 1, got " + jitter);
        }
    }

    public ProbeSchedule withJitter(double newJitter) {
        return new ProbeSchedule(initial, max, newJitter);
    }

    /** The wait before probe {@code probe} (1 = the first after the retry schedule ran out). */
    public Duration delayBefore(int probe, RandomGenerator random) {
        if (probe < 1) {
            throw new IllegalArgumentException("probe must be at least 1, got " + probe);
        }
        int shift = Math.min(probe - 1, 62);
        // compared before shifting, so that doubling never overflows
        long capped = (max.toMillis() >> shift) < initial.toMillis() ? max.toMillis() : initial.toMillis() << shift;
        double factor = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * random.nextDouble() - 1);
        return Duration.ofMillis(Math.max(1, Math.round(capped * factor)));
    }

    public Instant probeAt(int probe, Instant now, RandomGenerator random) {
        return now.plus(delayBefore(probe, random));
    }

    @Override
    public String toString() {
        return "ProbeSchedule[" + initial.toMillis() + " ms doubling to " + max.toMillis() + " ms, jitter=±"
                + Math.round(jitter * 100) + "%]";
    }
}
