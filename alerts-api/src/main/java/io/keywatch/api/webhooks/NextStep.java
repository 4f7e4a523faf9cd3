package io.keywatch.api.webhooks;

import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the relay does with a delivery after an attempt: the pure decision between the attempt's outcome, the retry
 * schedule and the probe schedule, so that the relay only has to store it.
 *
 * <p>No delivery is given up for a failing receiver: when the retry schedule runs out, the endpoint is FAILING and
 * the delivery is kept for the probes ({@link Kind#ENDPOINT_FAILING}).
 *
 * @param nextAttemptAt when to try again (RETRY) or probe next (ENDPOINT_FAILING); null otherwise
 * @param reason        why, in words for the delivery log
 */
public record NextStep(Kind kind, Instant nextAttemptAt, String reason) {

    public enum Kind {
        /** delivered: mark the delivery DELIVERED (and a FAILING endpoint HEALTHY) */
        DELIVERED,
        /** failed this time: keep the delivery PENDING until {@code nextAttemptAt} */
        RETRY,
        /**
         * the schedule is used up, or a probe failed: the endpoint is FAILING, the delivery stays PENDING and the
         * next probe is due at {@code nextAttemptAt}
         */
        ENDPOINT_FAILING,
        /** the receiver answered 410 Gone: mark the delivery FAILED and disable the endpoint */
        ENDPOINT_GONE
    }

    public NextStep {
        Objects.requireNonNull(kind, "kind");
        boolean timed = kind == Kind.RETRY || kind == Kind.ENDPOINT_FAILING;
        if (timed != (nextAttemptAt != null)) {
            throw new IllegalArgumentException("nextAttemptAt is required for RETRY and ENDPOINT_FAILING, and only "
                    + "for them");
        }
    }

    /**
     * After an attempt on a healthy endpoint.
     *
     * @param attemptsMade attempts in the current round, the one just made included
     * @param now          when the attempt finished
     */
    public static NextStep after(int attemptsMade, AttemptResult result, RetrySchedule schedule,
                                 ProbeSchedule probes, Instant now, RandomGenerator random) {
        return switch (result.outcome()) {
            case DELIVERED -> new NextStep(Kind.DELIVERED, null, "delivered on attempt " + attemptsMade);
            case GONE -> gone(attemptsMade);
            case RETRY -> schedule.nextAttemptAt(attemptsMade, now, result.retryAfterDelay(), random)
                    .map(at -> new NextStep(Kind.RETRY, at, "attempt " + attemptsMade + " of "
                            + schedule.maxAttempts() + " failed: " + result.summary()))
                    .orElseGet(() -> new NextStep(Kind.ENDPOINT_FAILING, probes.probeAt(1, now, random),
                            "retry schedule used up after " + attemptsMade + " attempts; endpoint failing, "
                                    + "delivery kept for the probes; last: " + result.summary()));
        };
    }

    /**
     * After a probe of a FAILING endpoint.
     *
     * @param probe the number of this probe in the failing episode, 1 for the first
     */
    public static NextStep afterProbe(int probe, AttemptResult result, ProbeSchedule probes, Instant now,
                                      RandomGenerator random) {
        return switch (result.outcome()) {
            case DELIVERED -> new NextStep(Kind.DELIVERED, null, "delivered by probe " + probe
                    + "; endpoint healthy again");
            case GONE -> gone(probe);
            case RETRY -> new NextStep(Kind.ENDPOINT_FAILING, probes.probeAt(probe + 1, now, random),
                    "probe " + probe + " failed: " + result.summary());
        };
    }

    private static NextStep gone(int attempt) {
        return new NextStep(Kind.ENDPOINT_GONE, null,
                "the endpoint answered 410 Gone on attempt " + attempt + "; endpoint disabled");
    }
}
