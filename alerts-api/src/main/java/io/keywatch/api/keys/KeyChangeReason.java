package io.keywatch.api.keys;

import io.keywatch.api.input.JsonFields;

/**
 * The body of {@code POST /api/v1/keys/{keyId}/revoke} and {@code .../reinstate}, bound by {@code JsonBodies.bind}:
 * why, required free text.
 */
public record KeyChangeReason(String reason) {

    static final int MAX_LENGTH = 1_000;

    public KeyChangeReason {
        reason = JsonFields.required("reason",
                JsonFields.checkedFreeText("reason", reason, MAX_LENGTH));
    }
}
