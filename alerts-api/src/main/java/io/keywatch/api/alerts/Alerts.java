package io.keywatch.api.alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The alerts and their history as seen through one transaction's handle ({@link AlertStore#on}): every read and
 * write runs on it, so that what automatic revocation or a person did to an alert commits with the change it
 * describes.
 */
public final class Alerts {

    private final Handle handle;

    Alerts(Handle handle) {
        this.handle = handle;
    }

    /** {@link AlertStore#recordAutoRevocation(String, String, String, String, String)} in this transaction. */
    public void recordAutoRevocation(String alertId, String occurrenceId, String marker, String actor, String note,
                                     Instant now) {
        handle.createUpdate("UPDATE alerts SET auto_revocation = :marker, updated_at = :now WHERE id = :id")
                .bind("marker", marker)
                .bind("now", now)
                .bind("id", alertId)
                .execute();
        history(alertId, now, actor, "auto_revocation", null, null, null, note,
                "auto_revocation:" + occurrenceId + ":" + marker);
    }

    /** {@link #recordAutoRevocation} for many occurrences, in order, in two JDBC batches (markers, then history). */
    public void recordAutoRevocations(List<AlertStore.AutoRevocationMark> marks, Instant now) {
        if (marks.isEmpty()) {
            return;
        }
        PreparedBatch markers =
                handle.prepareBatch("UPDATE alerts SET auto_revocation = :marker, updated_at = :now WHERE id = :id");
        PreparedBatch entries = handle.prepareBatch(AlertStore.INSERT_HISTORY);
        for (AlertStore.AutoRevocationMark m : marks) {
            markers.bind("marker", m.marker()).bind("now", now).bind("id", m.alertId()).add();
            entries.bind("alertId", m.alertId())
                    .bind("at", now)
                    .bind("actor", m.actor())
                    .bindByType("onBehalfOf", null, String.class)
                    .bind("action", "auto_revocation")
                    .bindByType("fromStatus", null, String.class)
                    .bindByType("toStatus", null, String.class)
                    .bindByType("resolution", null, String.class)
                    .bindByType("note", m.note(), String.class)
                    .bind("dedupeKey", "auto_revocation:" + m.occurrenceId() + ":" + m.marker())
                    .add();
        }
        markers.execute();
        entries.execute();
    }

    /** Writes one history entry; a non-null {@code dedupeKey} makes it written once only. */
    public void history(String alertId, Instant at, String actor, String action, AlertStatus from, AlertStatus to,
                        String resolution, String note, String dedupeKey) {
        history(alertId, at, actor, null, action, from, to, resolution, note, dedupeKey);
    }

    /** Writes one history entry with the actor's "on behalf of" note (null without one). */
    public void history(String alertId, Instant at, String actor, String onBehalfOf, String action,
                        AlertStatus from, AlertStatus to, String resolution, String note, String dedupeKey) {
        handle.createUpdate(AlertStore.INSERT_HISTORY)
                .bind("alertId", alertId)
                .bind("at", at)
                .bind("actor", actor)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .bind("action", action)
                .bindByType("fromStatus", from == null ? null : from.name(), String.class)
                .bindByType("toStatus", to == null ? null : to.name(), String.class)
                .bindByType("resolution", resolution, String.class)
                .bindByType("note", note, String.class)
                .bindByType("dedupeKey", dedupeKey, String.class)
                .execute();
    }

    /** The alert with this (group) id. */
    Optional<StoredAlert> find(String alertId) {
        return handle.createQuery("SELECT " + AlertStore.COLUMNS + " FROM alerts WHERE id = :id")
                .bind("id", alertId)
                .mapTo(StoredAlert.class)
                .findOne();
    }

    /** The group id for an alert id or an occurrence id. */
    Optional<String> resolveId(String id) {
        return handle.createQuery("""
                        SELECT COALESCE((SELECT alert_id FROM alert_occurrences WHERE id = :id),
                                        (SELECT id FROM alerts WHERE id = :id))
                        """)
                .bind("id", id)
                .mapTo(String.class)
                .findOne();
    }
}
