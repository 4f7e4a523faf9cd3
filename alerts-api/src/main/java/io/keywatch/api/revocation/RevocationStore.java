package io.keywatch.api.revocation;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keywatch.api.input.CursorCodec;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Revocation decisions, the occurrences behind them, the audit log and the guard row, in PostgreSQL. The writes take
 * the caller's handle: they belong to the transaction of the change they describe.
 */
public final class RevocationStore {

    private static final String DECISION_COLUMNS = """
            id, key_id, status, pending_reason, rule, severity, alert_id, reason, created_at, decided_by, decided_at,
            note, decided_on_behalf_of
            """;
    private static final String AUDIT_COLUMNS =
            "id, at, key_id, action, actor, on_behalf_of, decision_id, alert_ids, reason";

    /** A page of decisions, newest first. */
    public record DecisionPage(List<RevocationDecision> items,
                               @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** A page of the audit log, newest first. */
    public record AuditPage(List<RevocationLogEntry> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {
    }

    /** Filters of the audit log; null = any. */
    public record AuditQuery(String keyId, AuditAction action, Instant since, Instant until, int limit,
                             String cursor) {
    }

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

    /** A new decision, as {@link #insertDecisions} writes it. */
    record NewDecision(String id, String keyId, DecisionStatus status, String pendingReason, String rule,
                       String severity, String alertId, String reason, String decidedBy) {
    }

    /** An occurrence linked to a decision, as {@link #attachAll} writes it. */
    record Attachment(String decisionId, String occurrenceId, String alertId) {
    }

    /** An automatic entry of the audit log, as {@link #audit} writes it. */
    record AuditRow(String keyId, AuditAction action, String actor, String decisionId, List<String> alertIds,
                    String reason) {
    }

    private final Jdbi jdbi;

    public RevocationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    // ----------------------------------------------------------------------------------------------- writes

    static Optional<RevocationDecision> lockDecision(Handle handle, String id) {
        return handle.createQuery("SELECT " + DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE id = :id FOR NO KEY UPDATE")
                .bind("id", id)
                .map((rs, ctx) -> decision(rs))
                .findOne();
    }

    static void settle(Handle handle, String id, DecisionStatus status, String actor, String onBehalfOf, String note,
                       Instant at) {
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
    public static void audit(Handle handle, Instant at, String keyId, AuditAction action, String actor,
                             String decisionId, List<String> alertIds, String reason) {
        audit(handle, at, keyId, action, actor, null, decisionId, alertIds, reason);
    }

    /** Appends an entry with the actor's "on behalf of" note (null without one). */
    public static void audit(Handle handle, Instant at, String keyId, AuditAction action, String actor,
                             String onBehalfOf, String decisionId, List<String> alertIds, String reason) {
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
    static void insertDecisions(Handle handle, List<NewDecision> decisions, Instant at) {
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
    static void attachAll(Handle handle, List<Attachment> attachments, Instant at) {
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
    static void auditAll(Handle handle, List<AuditRow> rows, Instant at) {
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
    static Set<String> decidedAmong(Handle handle, Collection<String> occurrenceIds) {
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
    static Map<String, RevocationDecision> pendingFor(Handle handle, Collection<String> keyIds) {
        Map<String, RevocationDecision> pending = new HashMap<>();
        if (keyIds.isEmpty()) {
            return pending;
        }
        handle.createQuery("SELECT " + DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE key_id = ANY(:keyIds) AND status = 'PENDING_APPROVAL'")
                .bindArray("keyIds", String.class, keyIds.toArray())
                .map((rs, ctx) -> decision(rs))
                .forEach(d -> pending.put(d.keyId(), d));
        return pending;
    }

    // ------------------------------------------------------------------------------------------------ guard

    /**
     * Locks the guard row for the rest of the transaction and returns when the guard last tripped (null: never).
     * Every automatic decision takes this lock first, so counting and revoking are one atomic step across every
     * consumer and API instance.
     */
    static Optional<Instant> lockGuard(Handle handle) {
        return handle.createQuery("SELECT tripped_at FROM revocation_guard WHERE id = 1 FOR UPDATE")
                .map((rs, ctx) -> instant(rs, "tripped_at"))
                .findOne();
    }

    static int automaticRevocationsSince(Handle handle, Instant since) {
        return handle.createQuery("SELECT count(*) FROM revocation_audit WHERE action = 'REVOKED' AND at > :since")
                .bind("since", since)
                .mapTo(Integer.class)
                .one();
    }

    static void tripped(Handle handle, Instant at) {
        handle.createUpdate("UPDATE revocation_guard SET tripped_at = :at WHERE id = 1").bind("at", at).execute();
    }

    // ---------------------------------------------------------------------------------------------- queries

    public Optional<RevocationDecision> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> decision(rs))
                .findOne()
                .map(d -> withAlerts(handle, List.of(d)).get(0)));
    }

    /** Decisions newest first, optionally of one status and/or key. */
    public DecisionPage decisions(DecisionStatus status, String keyId, int limit, String cursor) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (status != null) {
            conditions.add("status = :status");
            params.put("status", status.name());
        }
        if (keyId != null) {
            conditions.add("key_id = :keyId");
            params.put("keyId", keyId);
        }
        if (cursor != null) {
            String[] parts = CursorCodec.decode(cursor, "r1", 2);
            conditions.add("(created_at, id) < (:afterAt, :afterId)");
            params.put("afterAt", CursorCodec.instant(parts[0]));
            params.put("afterId", parts[1]);
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String sql = "SELECT " + DECISION_COLUMNS + " FROM revocation_decisions" + where
                + " ORDER BY created_at DESC, id DESC LIMIT :fetch";
        return jdbi.withHandle(handle -> {
            List<RevocationDecision> rows = handle.createQuery(sql).bindMap(params).bind("fetch", limit + 1)
                    .map((rs, ctx) -> decision(rs)).list();
            List<RevocationDecision> page = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit ? CursorCodec.encode("r1",
                    page.get(page.size() - 1).createdAt().toString(), page.get(page.size() - 1).id()) : null;
            return new DecisionPage(withAlerts(handle, page), next);
        });
    }

    /** The audit log newest first; every filter runs in SQL, the cursor is a keyset seek on (at, id). */
    public AuditPage audit(AuditQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.keyId() != null) {
            conditions.add("key_id = :keyId");
            params.put("keyId", query.keyId());
        }
        if (query.action() != null) {
            conditions.add("action = :action");
            params.put("action", query.action().name());
        }
        if (query.since() != null) {
            conditions.add("at >= :since");
            params.put("since", query.since());
        }
        if (query.until() != null) {
            conditions.add("at < :until");
            params.put("until", query.until());
        }
        if (query.cursor() != null) {
            String[] parts = CursorCodec.decode(query.cursor(), "a1", 2);
            long afterId;
            try {
                afterId = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is not valid: pass the nextCursor of a previous response "
                        + "unchanged");
            }
            conditions.add("(at, id) < (:afterAt, :afterId)");
            params.put("afterAt", CursorCodec.instant(parts[0]));
            params.put("afterId", afterId);
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        String sql = "SELECT " + AUDIT_COLUMNS + " FROM revocation_audit" + where
                + " ORDER BY at DESC, id DESC LIMIT :fetch";
        List<RevocationLogEntry> rows = jdbi.withHandle(handle -> handle.createQuery(sql).bindMap(params)
                .bind("fetch", query.limit() + 1)
                .map((rs, ctx) -> new RevocationLogEntry(rs.getLong("id"), instant(rs, "at"), rs.getString("key_id"),
                        rs.getString("action"), rs.getString("actor"), rs.getString("on_behalf_of"),
                        rs.getString("decision_id"),
                        strings(rs.getArray("alert_ids")), rs.getString("reason")))
                .list());
        List<RevocationLogEntry> page = rows.size() > query.limit() ? rows.subList(0, query.limit()) : rows;
        String next = rows.size() > query.limit() ? CursorCodec.encode("a1",
                page.get(page.size() - 1).at().toString(), Long.toString(page.get(page.size() - 1).id())) : null;
        return new AuditPage(List.copyOf(page), next);
    }

    private static List<RevocationDecision> withAlerts(Handle handle, List<RevocationDecision> decisions) {
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

    private static RevocationDecision decision(ResultSet rs) throws SQLException {
        return new RevocationDecision(rs.getString("id"), rs.getString("key_id"),
                DecisionStatus.valueOf(rs.getString("status")), rs.getString("pending_reason"), rs.getString("rule"),
                rs.getString("severity"), rs.getString("alert_id"), List.of(), rs.getString("reason"),
                instant(rs, "created_at"), rs.getString("decided_by"), instant(rs, "decided_at"),
                rs.getString("note"), rs.getString("decided_on_behalf_of"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
