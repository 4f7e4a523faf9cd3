package io.keywatch.api.webhooks;

import java.time.Instant;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What the relay does with a delivery after an attempt: the pure decision between the attempt's outcome and the
 * retry schedule, so that the relay only has to store it.
 *
 * @param nextAttemptAt when to try again; null unless {@link Kind#RETRY}
 * @param reason        why, in words for the delivery log
 */
public record NextStep(Kind kind, Instant nextAttemptAt, String reason) {

    public enum Kind {
        /** delivered: mark the delivery DELIVERED */
        DELIVERED,
        /** failed this time: keep the delivery PENDING until {@code nextAttemptAt} */
        RETRY,
        /** the schedule is used up: mark the delivery FAILED */
        FAILED,
        /** the receiver answered 410 Gone: mark the delivery FAILED and disable the endpoint */
        ENDPOINT_GONE
    }

    public NextStep {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.RETRY) != (nextAttemptAt != null)) {
            throw new IllegalArgumentException("nextAttemptAt is required for RETRY and only for RETRY");
        }
    }

    /**
     * @param attemptsMade attempts so far, the one just made included
     * @param now          when the attempt finished
     */
    public static NextStep after(int attemptsMade, AttemptResult result, RetrySchedule schedule, Instant now,
                                 RandomGenerator random) {
        return switch (result.outcome()) {
            case DELIVERED -> new NextStep(Kind.DELIVERED, null, "delivered on attempt " + attemptsMade);
            case GONE -> new NextStep(Kind.ENDPOINT_GONE, null,
                    "the endpoint answered 410 Gone on attempt " + attemptsMade + "; endpoint disabled");
            case RETRY -> schedule.nextAttemptAt(attemptsMade, now, result.retryAfterDelay(), random)
                    .map(at -> new NextStep(Kind.RETRY, at, "attempt " + attemptsMade + " of "
                            + schedule.maxAttempts() + " failed: " + result.summary()))
                    .orElseGet(() -> new NextStep(Kind.FAILED, null, "gave up after " + attemptsMade
                            + " attempts; last: " + result.summary()));
        };
    }
}
