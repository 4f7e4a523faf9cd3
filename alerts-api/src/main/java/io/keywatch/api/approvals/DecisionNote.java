package io.keywatch.api.approvals;

import io.keywatch.api.input.JsonFields;

/** The optional body of {@code POST /api/v1/approvals/{id}/approve} and {@code .../deny}: a note, or none. */
public record DecisionNote(String note) {

    static final int MAX_LENGTH = 1_000;

    public DecisionNote {
        note = JsonFields.checkedFreeText("note", note, MAX_LENGTH);
    }
}
