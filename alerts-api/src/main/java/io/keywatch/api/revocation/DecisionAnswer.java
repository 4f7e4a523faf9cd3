package io.keywatch.api.revocation;

import io.keywatch.api.input.JsonFields;

/**
 * The optional body of {@code POST /api/v1/revocations/{id}/approve} and {@code .../deny}, bound by
 * {@code JsonBodies.bindOptional}: a note, or none.
 */
public record DecisionAnswer(String note) {

    public DecisionAnswer {
        note = JsonFields.checkedFreeText("note", note, RevocationController.MAX_NOTE);
    }
}
