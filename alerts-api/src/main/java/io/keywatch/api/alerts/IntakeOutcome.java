package io.keywatch.api.alerts;

import io.keywatch.events.Alert;

/**
 * What storing one received alert (an occurrence) did.
 *
 * @param alertId   the group the occurrence belongs to
 * @param silenceId the silence that covered the occurrence when it first arrived; null when none did
 */
public record IntakeOutcome(Alert occurrence, String alertId, Kind kind, String silenceId) {

    public enum Kind {
        /** The first occurrence of a new alert. */
        OPENED,
        /** A new occurrence folded into the open alert of its rule and key. */
        FOLDED,
        /** A known occurrence re-sent with a higher severity. */
        ESCALATED,
        /** A known occurrence re-sent (replay, retry): nothing changed. */
        DUPLICATE
    }

    public boolean silenced() {
        return silenceId != null;
    }

    public boolean changed() {
        return kind != Kind.DUPLICATE;
    }
}
