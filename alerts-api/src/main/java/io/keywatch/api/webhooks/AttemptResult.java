package io.keywatch.api.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one delivery attempt came to: a row of the delivery log.
 *
 * @param outcome      what the relay should do next
 * @param attemptedAt  when the attempt started
 * @param status       the HTTP status; null when no response arrived (timeout, refused connection, ...)
 * @param latencyMs    from sending to the end of the (truncated) response, or to the failure
 * @param error        why it failed without a response, or null; never holds the secret or a signature
 * @param retryAfter   the receiver's Retry-After, or null
 * @param responseBody the first {@value WebhookSender#MAX_SNIPPET_CHARS} characters of the status line (never the body),
 *                     or null
 */
public record AttemptResult(Outcome outcome, Instant attemptedAt, Integer status, long latencyMs, String error,
                            Duration retryAfter, String responseBody) {

    /** The relay's next step. */
    public enum Outcome {
        /** a 2xx answer: done */
        DELIVERED,
        /** anything else but 410: try again on schedule, or fail when the schedule is used up */
        RETRY,
        /** 410 Gone: the receiver wants no more webhooks; disable the endpoint */
        GONE
    }

    public AttemptResult {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(attemptedAt, "attemptedAt");
    }

    /** The outcome an HTTP status gives (Standard Webhooks: 2xx success, 410 disables, everything else fails). */
    public static Outcome outcomeOf(int status) {
        if (status >= 200 && status <= 299) {
            return Outcome.DELIVERED;
        }
        return status == 410 ? Outcome.GONE : Outcome.RETRY;
    }

    public OptionalInt statusCode() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    public Optional<Duration> retryAfterDelay() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean delivered() {
        return outcome == Outcome.DELIVERED;
    }

    /** One line for a log or a listing: status or error, and latency. */
    public String summary() {
        String what = status != null ? "HTTP " + status : error;
        return outcome + " (" + what + ", " + latencyMs + " ms"
                + (retryAfter != null ? ", Retry-After " + retryAfter.toSeconds() + " s" : "") + ")";
    }
}
