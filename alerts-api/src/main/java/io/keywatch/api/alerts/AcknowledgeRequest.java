package io.keywatch.api.alerts;

import io.keywatch.api.input.JsonFields;

/** The optional body of {@code POST /api/v1/alerts/{id}/acknowledge}, bound by {@code JsonBodies.bindOptional}. */
public record AcknowledgeRequest(String note) {

    public AcknowledgeRequest {
        note = JsonFields.checkedFreeText("note", note, AlertController.MAX_NOTE);
    }
}
