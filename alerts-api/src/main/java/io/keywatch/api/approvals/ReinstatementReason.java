package io.keywatch.api.approvals;

import io.keywatch.api.input.JsonFields;

/** The body of {@code POST /api/v1/keys/{keyId}/reinstate}, bound by {@code JsonBodies.bind}: why, required. */
public record ReinstatementReason(String reason) {

    static final int MAX_LENGTH = 1_000;

    public ReinstatementReason {
        reason = JsonFields.required("reason",
                JsonFields.checkedFreeText("reason", reason, MAX_LENGTH));
    }
}
