package io.keywatch.api.alerts;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.JsonFields;

/**
 * The body of {@code POST /api/v1/alerts/{id}/resolve}, bound by {@code JsonBodies.bind}, each field checked here
 * (a resolution a person may choose, a note). Whether the resolution is there, and whether {@code other} came with
 * a note, stay with the controller: it knows the order in which a client should hear about them.
 */
public record ResolveRequest(String resolution, String note) {

    static final int MAX_RESOLUTION = 50;

    public ResolveRequest {
        resolution = JsonFields.checkedText("resolution", resolution, MAX_RESOLUTION);
        if (resolution != null) {
            resolution = manual(resolution).wireName();
        }
        note = JsonFields.checkedFreeText("note", note, AcknowledgeRequest.MAX_NOTE);
    }

    /** The chosen resolution, null when absent; the constructor has checked it. */
    public Resolution chosen() {
        return resolution == null ? null : manual(resolution);
    }

    private static Resolution manual(String value) {
        try {
            return Resolution.parseManual(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(e.getMessage());
        }
    }
}
