package io.keywatch.api.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When to try a failed delivery again. The first attempt is immediate; after the n-th failed attempt the next one
 * waits {@code delays[n-1]}, give or take the jitter; once every delay is used, the delivery has FAILED.
 *
 * <p>The default follows the Standard Webhooks example schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h,
 * 24 h — ten attempts over about three days. Jitter (±20 % by default) spreads out retries that failed together,
 * so that a receiver coming back from an outage is not hit by all of them at once. A receiver's
 * {@code Retry-After} is honoured when it asks for longer than the schedule would wait, up to a cap (24 h).
 *
 * @param delays        the waits before the 2nd, 3rd, ... attempt
 * @param jitter        the fraction a delay may move either way, 0 to 1 (0.2 = ±20 %)
 * @param retryAfterCap the longest {@code Retry-After} honoured
 */
public record RetrySchedule(List<Duration> delays, double jitter, Duration retryAfterCap) {

    /** First: {@link #DEFAULT} is parsed during class initialization. */
    private static final Pattern DELAY = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");

    public static final double DEFAULT_JITTER = 0.2;
    public static final Duration DEFAULT_RETRY_AFTER_CAP = Duration.ofHours(24);
    public static final String DEFAULT_SPEC = "5s,5m,30m,2h,5h,10h,14h,20h,24h";
    public static final RetrySchedule DEFAULT = parse(DEFAULT_SPEC);

    public RetrySchedule {
        Objects.requireNonNull(delays, "delays");
        if (delays.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        for (Duration delay : delays) {
            if (delay == null || delay.isNegative() || delay.isZero()) {
                throw new IllegalArgumentException("retry delays must be positive, got " + delay);
            }
        }
        delays = List.copyOf(delays);
        if (!(jitter >= 0 && jitter < 1)) {
            throw new IllegalArgumentException("jitter must be at least 0 and below 1, got " + jitter);
        }
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
        if (retryAfterCap.isNegative()) {
            throw new IllegalArgumentException("retryAfterCap must not be negative, got " + retryAfterCap);
        }
    }

    /**
     * Reads a comma-separated list of delays such as {@code 5s,5m,30m,2h}; units {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}. Default jitter and Retry-After cap.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    public static RetrySchedule parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException(
                    "retry schedule must list at least one delay, such as '" + DEFAULT_SPEC + "'");
        }
        List<Duration> delays = new ArrayList<>();
        String[] entries = spec.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].strip().toLowerCase(Locale.ROOT);
            Matcher m = DELAY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalArgumentException("retry schedule entry " + (i + 1) + " '" + entries[i].strip()
                        + "' is not a delay; write a whole number and a unit (ms, s, m, h, d), as in '"
                        + DEFAULT_SPEC + "'");
            }
            long amount = Long.parseLong(m.group(1));
            Duration delay = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> throw new IllegalStateException("unit " + m.group(2));
            };
            if (delay.isZero()) {
                throw new IllegalArgumentException("retry schedule entry " + (i + 1) + " '" + entries[i].strip()
                        + "' must be longer than zero");
            }
            delays.add(delay);
        }
        return new RetrySchedule(delays, DEFAULT_JITTER, DEFAULT_RETRY_AFTER_CAP);
    }

    public RetrySchedule withJitter(double newJitter) {
        return new RetrySchedule(delays, newJitter, retryAfterCap);
    }

    public RetrySchedule withRetryAfterCap(Duration cap) {
        return new RetrySchedule(delays, jitter, cap);
    }

    /** Attempts in all, the immediate first one included. */
    public int maxAttempts() {
        return delays.size() + 1;
    }

    /**
     * How long to wait after the {@code attemptsMade}-th failed attempt, or empty when that was the last one and
     * the delivery has failed.
     *
     * @param attemptsMade attempts made so far, at least 1
     * @param retryAfter   what the receiver asked for, if anything; honoured when longer than the jittered delay,
     *                     up to {@link #retryAfterCap()}
     * @param random       source of jitter; inject a seeded one in tests
     */
    public Optional<Duration> delayAfter(int attemptsMade, Optional<Duration> retryAfter, RandomGenerator random) {
        if (attemptsMade < 1) {
            throw new IllegalArgumentException("attemptsMade must be at least 1, got " + attemptsMade);
        }
        if (attemptsMade > delays.size()) {
            return Optional.empty();
        }
        Duration base = delays.get(attemptsMade - 1);
        double factor = jitter == 0 ? 1.0 : 1.0 + jitter * (2 * random.nextDouble() - 1);
        Duration delay = Duration.ofMillis(Math.max(1, Math.round(base.toMillis() * factor)));
        if (retryAfter.isPresent()) {
            Duration asked = retryAfter.get().compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter.get();
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return Optional.of(delay);
    }

    /** {@link #delayAfter} from {@code now}: when to try next, or empty when the delivery has failed. */
    public Optional<Instant> nextAttemptAt(int attemptsMade, Instant now, Optional<Duration> retryAfter,
                                           RandomGenerator random) {
        return delayAfter(attemptsMade, retryAfter, random).map(now::plus);
    }

    /** The schedule in the form {@link #parse} reads, e.g. {@code 5s,5m,30m,2h}. */
    public String spec() {
        StringJoiner out = new StringJoiner(",");
        for (Duration d : delays) {
            out.add(format(d));
        }
        return out.toString();
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 86_400_000) { // 24h reads better than 1d
            return ms / 86_400_000 + "d";
        } else if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        } else if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        } else if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    @Override
    public String toString() {
        return "RetrySchedule[" + spec() + ", jitter=±" + Math.round(jitter * 100) + "%, retryAfterCap="
                + format(retryAfterCap) + "]";
    }
}
