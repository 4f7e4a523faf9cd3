package io.keywatch.api.alerts.stream;

import io.keywatch.api.alerts.StoredAlert;

/** What a subscriber receives: an alert change, an alert that left its filter, or a reset (reload the list). */
public sealed interface StreamEvent {

    /**
     * An alert was created or changed.
     *
     * @param id      the change's sequence number: the SSE event id a client resumes from
     * @param created whether this change created the alert ("created"), else "updated"
     * @param alert   the alert as it is now, exactly as {@code GET /api/v1/alerts} lists it
     */
    record Change(long id, boolean created, StoredAlert alert) implements StreamEvent {
    }

    /**
     * An alert changed so that it no longer passes the stream's filters (acknowledged under {@code status=OPEN},
     * silenced under {@code silenced=false}): a client that shows it drops it.
     *
     * @param id    the change's sequence number, as for {@link Change}
     * @param alert the alert as it is now
     */
    record Left(long id, StoredAlert alert) implements StreamEvent {
    }

    /** The stream cannot say what changed since the client's last event: it must reload the list. */
    record Reset(String reason) implements StreamEvent {
    }
}
