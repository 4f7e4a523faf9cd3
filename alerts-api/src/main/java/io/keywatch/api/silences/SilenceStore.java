package io.keywatch.api.silences;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Silences in PostgreSQL. Deleting keeps the row (with who and when), so the alerts it silenced stay explained. */
public final class SilenceStore {

    static final String COLUMNS = """
            id, key_id, rule, expires_at, comment, created_by, on_behalf_of, created_at, deleted_at, deleted_by,
            deleted_on_behalf_of,
            (deleted_at IS NULL AND expires_at > :now) AS active
            """;

    /* The open alerts a new silence covers are marked at once: silencing is usually about an alert on screen. */
    private static final String MARK_OPEN_ALERTS = """
            WITH marked AS (
                UPDATE alerts SET silenced = true, silence_id = :id, updated_at = :now
                WHERE status <> 'RESOLVED' AND NOT silenced
                  AND (CAST(:keyId AS text) IS NULL OR key_id = :keyId)
                  AND (CAST(:rule AS text) IS NULL OR rule = :rule)
                RETURNING id)
            INSERT INTO alert_history (alert_id, at, actor, on_behalf_of, action, note, dedupe_key)
            SELECT id, :now, :actor, :onBehalfOf, 'silenced', 'silence ' || :id || ' created: ' || :comment,
                   'silenced:' || :id || ':' || id
            FROM marked
            """;

    private final Jdbi jdbi;
    private final Clock clock;

    public SilenceStore(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public SilenceStore(Jdbi jdbi) {
        this(jdbi, Clock.systemUTC());
    }

    /** The silences as seen through {@code handle}: the caller's transaction. */
    public Silences on(Handle handle) {
        return new Silences(handle);
    }

    /** Creates the silence and marks the unresolved alerts it covers. */
    public Silence create(String keyId, String rule, Instant expiresAt, String comment, String createdBy) {
        return create(keyId, rule, expiresAt, comment, createdBy, AuditActor.keywatch(createdBy));
    }

    /** The same, recorded in the audit trail as made by {@code by}, in the change's transaction. */
    public Silence create(String keyId, String rule, Instant expiresAt, String comment, String createdBy, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        Instant now = now();
        String id = UUID.randomUUID().toString();
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO silences (id, key_id, rule, expires_at, comment, created_by, on_behalf_of,
                                                  created_at)
                            VALUES (:id, :keyId, :rule, :expiresAt, :comment, :createdBy, :onBehalfOf, :now)
                            """)
                    .bind("id", id)
                    .bindByType("keyId", keyId, String.class)
                    .bindByType("rule", rule, String.class)
                    .bind("expiresAt", expiresAt.truncatedTo(ChronoUnit.MICROS))
                    .bind("comment", comment)
                    .bind("createdBy", createdBy)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .bind("now", now)
                    .execute();
            handle.createUpdate(MARK_OPEN_ALERTS)
                    .bind("id", id)
                    .bindByType("keyId", keyId, String.class)
                    .bindByType("rule", rule, String.class)
                    .bind("now", now)
                    .bind("actor", createdBy)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .bind("comment", comment)
                    .execute();
            Silence created = on(handle).find(id, now).orElseThrow();
            new AuditTrail(handle).record(AuditEntry.of(by, now, "silence.created", "silence", id, null, created));
            return created;
        });
    }

    public Optional<Silence> find(String id) {
        return jdbi.withHandle(handle -> on(handle).find(id, now()));
    }

    /** Active silences (or all, expired and deleted ones too), newest first. */
    public List<Silence> list(boolean all, int limit) {
        Instant now = now();
        String where = all ? "" : "WHERE deleted_at IS NULL AND expires_at > :now ";
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM silences " + where
                        + "ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .mapTo(Silence.class)
                .list());
    }

    /**
     * Ends the silence now; alerts it already marked stay marked. False when there is no such silence; deleting a
     * deleted or expired silence changes nothing and is true.
     */
    public boolean delete(String id, String actor) {
        return delete(id, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail as made by {@code by} when it ends an active silence. */
    public boolean delete(String id, String actor, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        Instant now = now();
        return jdbi.inTransaction(handle -> {
            Optional<Silence> before = on(handle).find(id, now);
            if (before.isEmpty()) {
                return false;
            }
            int ended = handle.createUpdate("""
                            UPDATE silences SET deleted_at = :now, deleted_by = :actor,
                                                deleted_on_behalf_of = :onBehalfOf
                            WHERE id = :id AND deleted_at IS NULL
                            """)
                    .bind("id", id)
                    .bind("now", now)
                    .bind("actor", actor)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .execute();
            if (ended == 1) {
                new AuditTrail(handle).record(AuditEntry.of(by, now, "silence.deleted", "silence", id, before.get(),
                        on(handle).find(id, now).orElseThrow()));
            }
            return true;
        });
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
