package io.keywatch.api.revocation;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.api.revocation.RevocationStore.Attachment;
import io.keywatch.api.revocation.RevocationStore.AuditRow;
import io.keywatch.api.revocation.RevocationStore.NewDecision;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The revocation decisions, their occurrences, the audit log and the guard row as seen through one transaction's
 * handle: every read and write runs on it, so a decision, the key change and the audit entry it explains commit
 * together. Made by {@link RevocationStore#on} or, by this package's classes handed a transaction (the engine's
 * batch, a key change), directly.
 */
public final class Revocations {

    private static final String INSERT_DECISION = """
            INSERT INTO revocation_decisions (id, key_id, rule, severity, alert_id, status, pending_reason, reason,
                                              created_at, decided_by, decided_at)
            VALUES (:id, :keyId, :rule, :severity, :alertId, :status, :pendingReason, :reason, :at, :decidedBy, :at)
            """;
    private static final String ATTACH = """
            INSERT INTO revocation_decision_alerts (occurrence_id, decision_id, alert_id, added_at)
            VALUES (:occurrenceId, :decisionId, :alertId, :at)
            ON CONFLICT (occurrence_id) DO NOTHING
            """;
    private static final String INSERT_AUDIT = """
            INSERT INTO revocation_audit (at, key_id, action, actor, on_behalf_of, decision_id, alert_ids, reason)
            VALUES (:at, :keyId, :action, :actor, :onBehalfOf, :decisionId, :alertIds, :reason)
            """;

    private final Handle handle;

    Revocations(Handle handle) {
        this.handle = handle;
    }

    Optional<RevocationDecision> lockDecision(String id) {
        return handle.createQuery("SELECT " + RevocationStore.DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE id = :id FOR NO KEY UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> RevocationStore.decision(rs))
                .findOne();
    }

    void settle(String id, DecisionStatus status, String actor, String onBehalfOf, String note, Instant at) {
        handle.createUpdate("""
                        UPDATE revocation_decisions SET status = :status, decided_by = :actor, decided_at = :at,
                                                        note = :note, decided_on_behalf_of = :onBehalfOf
                        WHERE id = :id
                        """)
                .bind("status", status.name())
                .bind("actor", actor)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .bind("at", at)
                .bindByType("note", note, String.class)
                .bind("id", id)
                .execute();
    }

    /** Appends an entry to the audit log. */
    public void audit(Instant at, String keyId, AuditAction action, String actor, String decisionId,
                      List<String> alertIds, String reason) {
        audit(at, keyId, action, actor, null, decisionId, alertIds, reason);
    }

    /** Appends an entry with the actor's "on behalf of" note (null without one). */
    public void audit(Instant at, String keyId, AuditAction action, String actor, String onBehalfOf,
                      String decisionId, List<String> alertIds, String reason) {
        handle.createUpdate(INSERT_AUDIT)
                .bind("at", at)
                .bind("keyId", keyId)
                .bind("action", action.name())
                .bind("actor", actor)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .bindByType("decisionId", decisionId, String.class)
                .bindArray("alertIds", String.class, alertIds)
                .bindByType("reason", reason, String.class)
                .execute();
    }

    /** New decisions, in one JDBC batch. */
    void insertDecisions(List<NewDecision> decisions, Instant at) {
        if (decisions.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(INSERT_DECISION);
        for (NewDecision d : decisions) {
            batch.bind("id", d.id())
                    .bind("keyId", d.keyId())
                    .bind("rule", d.rule())
                    .bind("severity", d.severity())
                    .bind("alertId", d.alertId())
                    .bind("status", d.status().name())
                    .bindByType("pendingReason", d.pendingReason(), String.class)
                    .bind("reason", d.reason())
                    .bind("at", at)
                    .bind("decidedBy", d.decidedBy())
                    .add();
        }
        batch.execute();
    }

    /** Links occurrences to decisions, in one JDBC batch; an occurrence linked before (a replay) stays where it was. */
    void attachAll(List<Attachment> attachments, Instant at) {
        if (attachments.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(ATTACH);
        for (Attachment a : attachments) {
            batch.bind("occurrenceId", a.occurrenceId())
                    .bind("decisionId", a.decisionId())
                    .bind("alertId", a.alertId())
                    .bind("at", at)
                    .add();
        }
        batch.execute();
    }

    /** {@link #audit} for many automatic entries, in one JDBC batch, in order. */
    void auditAll(List<AuditRow> rows, Instant at) {
        if (rows.isEmpty()) {
            return;
        }
        PreparedBatch batch = handle.prepareBatch(INSERT_AUDIT);
        for (AuditRow r : rows) {
            batch.bind("at", at)
                    .bind("keyId", r.keyId())
                    .bind("action", r.action().name())
                    .bind("actor", r.actor())
                    .bindByType("onBehalfOf", null, String.class)
                    .bindByType("decisionId", r.decisionId(), String.class)
                    .bindArray("alertIds", String.class, r.alertIds())
                    .bindByType("reason", r.reason(), String.class)
                    .add();
        }
        batch.execute();
    }

    /** The occurrences among {@code occurrenceIds} decided on before (a replay), in one statement. */
    Set<String> decidedAmong(Collection<String> occurrenceIds) {
        if (occurrenceIds.isEmpty()) {
            return new HashSet<>();
        }
        return new HashSet<>(handle.createQuery(
                        "SELECT occurrence_id FROM revocation_decision_alerts WHERE occurrence_id = ANY(:ids)")
                .bindArray("ids", String.class, occurrenceIds.toArray())
                .mapTo(String.class)
                .list());
    }

    /** The decisions waiting for a person of these keys, by key id (at most one each), in one statement. */
    Map<String, RevocationDecision> pendingFor(Collection<String> keyIds) {
        Map<String, RevocationDecision> pending = new HashMap<>();
        if (keyIds.isEmpty()) {
            return pending;
        }
        handle.createQuery("SELECT " + RevocationStore.DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE key_id = ANY(:keyIds) AND status = 'PENDING_APPROVAL'")
                .bindArray("keyIds", String.class, keyIds.toArray())
                .map((rs, ctx) -> RevocationStore.decision(rs))
                .forEach(d -> pending.put(d.keyId(), d));
        return pending;
    }

    // ------------------------------------------------------------------------------------------------ guard

    /**
     * Locks the guard row for the rest of the transaction and returns when the guard last tripped (null: never).
     * Every automatic decision takes this lock first, so counting and revoking are one atomic step across every
     * consumer and API instance.
     */
    Optional<Instant> lockGuard() {
        return handle.createQuery("SELECT tripped_at FROM revocation_guard WHERE id = 1 FOR UPDATE")
                .map((rs, ctx) -> instant(rs, "tripped_at"))
                .findOne();
    }

    int automaticRevocationsSince(Instant since) {
        return handle.createQuery("SELECT count(*) FROM revocation_audit WHERE action = 'REVOKED' AND at > :since")
                .bind("since", since)
                .mapTo(Integer.class)
                .one();
    }

    void tripped(Instant at) {
        handle.createUpdate("UPDATE revocation_guard SET tripped_at = :at WHERE id = 1").bind("at", at).execute();
    }

    /** The decisions with the occurrences linked to them, in one statement. */
    List<RevocationDecision> withAlerts(List<RevocationDecision> decisions) {
        if (decisions.isEmpty()) {
            return List.of();
        }
        Map<String, List<RevocationDecision.DecisionAlert>> alerts = handle.createQuery("""
                        SELECT decision_id, alert_id, occurrence_id, added_at FROM revocation_decision_alerts
                        WHERE decision_id = ANY(:ids) ORDER BY added_at, occurrence_id
                        """)
                .bindArray("ids", String.class, decisions.stream().map(RevocationDecision::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("decision_id"), new RevocationDecision.DecisionAlert(
                        rs.getString("alert_id"), rs.getString("occurrence_id"), instant(rs, "added_at"))))
                .list().stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        return decisions.stream().map(d -> d.withAlerts(alerts.getOrDefault(d.id(), List.of()))).toList();
    }
}
