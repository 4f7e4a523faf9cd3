package io.keywatch.api.webhooks;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputInstants;
import io.keywatch.api.input.JsonFields;
import java.time.Instant;

/**
 * The body of {@code POST /api/v1/webhooks/{id}/recover}, bound by {@code JsonBodies.bind}: {@code since}
 * (required) and {@code until} (missing: now), ISO-8601 instants. The checks against the clock and each other stay
 * with the controller, which knows the time.
 */
public record RecoveryWindow(String since, String until) {

    static final String EXAMPLE = "{\"since\":\"2026-11-27T00:00:00Z\",\"until\":\"2026-11-28T00:00:00Z\"}";

    public RecoveryWindow {
        since = JsonFields.checkedInstant("since", since);
        if (since == null) {
            throw new InvalidInputException("since is required: an ISO-8601 instant, e.g. "
                    + EXAMPLE);
        }
        until = JsonFields.checkedInstant("until", until);
    }

    public Instant sinceInstant() {
        return InputInstants.require("since", since);
    }

    /** {@code until}, null when left out. */
    public Instant untilInstant() {
        return until == null ? null : InputInstants.require("until", until);
    }
}
