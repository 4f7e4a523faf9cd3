package io.keywatch.streams.detect;

import io.keywatch.events.Severity;

/**
 * An event rule's judgement: the severity, and how to explain it. The finding is built only when the alert goes out:
 * most events of an alerting minute are de-duplicated away, and building evidence for each would cost the hot path.
 *
 * @param streakStart the first minute of the streak, for {@link Dedup#STREAK} rules (ignored by others)
 */
public record Verdict(Severity severity, long streakStart, Explanation explanation) {

    /** Builds the finding for the alert's window, which the processor derives from the rule's {@link Dedup}. */
    @FunctionalInterface
    public interface Explanation {
        Finding explain(long windowStart, long windowEnd);
    }

    /** A verdict, or null when there is no severity (nothing found). */
    public static Verdict of(Severity severity, Explanation explanation) {
        return severity == null ? null : new Verdict(severity, Long.MIN_VALUE, explanation);
    }
}
