package io.keywatch.api.revocation;

import static io.keywatch.api.db.Columns.instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keywatch.api.input.CursorCodec;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Revocation decisions, the occurrences behind them, the audit log and the guard row, in PostgreSQL. The writes run
 * on {@link Revocations}, bound to the caller's handle ({@link #on}): they belong to the transaction of the change
 * they describe.
 */
public final class RevocationStore {

    static final String DECISION_COLUMNS = """
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

    /** A new decision, as {@link Revocations#insertDecisions} writes it. */
    record NewDecision(String id, String keyId, DecisionStatus status, String pendingReason, String rule,
                       String severity, String alertId, String reason, String decidedBy) {
    }

    /** An occurrence linked to a decision, as {@link Revocations#attachAll} writes it. */
    record Attachment(String decisionId, String occurrenceId, String alertId) {
    }

    /** An automatic entry of the audit log, as {@link Revocations#auditAll} writes it. */
    record AuditRow(String keyId, AuditAction action, String actor, String decisionId, List<String> alertIds,
                    String reason) {
    }

    private final Jdbi jdbi;

    public RevocationStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The decisions, audit log and guard as seen through {@code handle}: the caller's transaction. */
    public Revocations on(Handle handle) {
        return new Revocations(handle);
    }

    // ---------------------------------------------------------------------------------------------- queries

    public Optional<RevocationDecision> find(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + DECISION_COLUMNS
                        + " FROM revocation_decisions WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> decision(rs))
                .findOne()
                .map(d -> on(handle).withAlerts(List.of(d)).get(0)));
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
            return new DecisionPage(on(handle).withAlerts(page), next);
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

    static RevocationDecision decision(ResultSet rs) throws SQLException {
        return new RevocationDecision(rs.getString("id"), rs.getString("key_id"),
                DecisionStatus.valueOf(rs.getString("status")), rs.getString("pending_reason"), rs.getString("rule"),
                rs.getString("severity"), rs.getString("alert_id"), List.of(), rs.getString("reason"),
                instant(rs, "created_at"), rs.getString("decided_by"), instant(rs, "decided_at"),
                rs.getString("note"), rs.getString("decided_on_behalf_of"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

}
