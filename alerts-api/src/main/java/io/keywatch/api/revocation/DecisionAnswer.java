package io.keywatch.api.revocation;

import io.keywatch.api.input.JsonFields;

/**
 * The optional body of {@code POST /api/v1/revocations/{id}/approve} and {@code .../deny}, bound by
 * {@code JsonBodies.bindOptional}: a note, or none.
 */
public record DecisionAnswer(String note) {

    static final int MAX_NOTE = 2_000;

    public DecisionAnswer {
        note = JsonFields.checkedFreeText("note", note, MAX_NOTE);
    }
}
