package io.keywatch.api.alerts;

import io.keywatch.api.input.JsonFields;

/** The optional body of {@code POST /api/v1/alerts/{id}/acknowledge}, bound by {@code JsonBodies.bindOptional}. */
public record AcknowledgeRequest(String note) {

    /** Also the limit of a resolution's note ({@link ResolveRequest}). */
    static final int MAX_NOTE = 2_000;

    public AcknowledgeRequest {
        note = JsonFields.checkedFreeText("note", note, MAX_NOTE);
    }
}
