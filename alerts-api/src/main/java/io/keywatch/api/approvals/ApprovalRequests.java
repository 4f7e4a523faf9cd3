package io.keywatch.api.approvals;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * The approval requests of one transaction: every read and write goes through the handle it was made with
 * ({@link ApprovalStore#on}), so that the caller decides what commits together. A pending request past its expiry
 * reads as EXPIRED at once (computed in every query) and is written as such by {@link #sweepExpired}, so the
 * one-pending-reinstatement-per-key index frees up.
 */
public final class ApprovalRequests {

    private static final RowMapper<ApprovalRequest> MAPPER = ConstructorMapper.of(ApprovalRequest.class);

    private static final String COLUMNS = """
            id, action, key_id, rule, silence_expires_at, reason, requested_by, requested_role, on_behalf_of,
            requested_at, expires_at,
            CASE WHEN status = 'PENDING' AND expires_at <= :now THEN 'EXPIRED' ELSE status END AS status,
            decided_by, decided_at, decision_note, outcome
            """;

    private final Handle handle;

    ApprovalRequests(Handle handle) {
        this.handle = handle;
    }

    /** Marks the pending requests whose time ran out as EXPIRED. */
    void sweepExpired(Instant now) {
        handle.createUpdate("UPDATE approval_requests SET status = 'EXPIRED' WHERE status = 'PENDING' AND expires_at <= :now")
                .bind("now", now)
                .execute();
    }

    /**
     * Inserts a PENDING request; false when a pending reinstatement of the same key already waits (the partial
     * unique index), in which case nothing is written.
     */
    boolean insert(ApprovalRequest request) {
        return handle.createUpdate("""
                        INSERT INTO approval_requests (id, action, key_id, rule, silence_expires_at, reason,
                                                       requested_by, requested_role, on_behalf_of, requested_at,
                                                       expires_at, status)
                        VALUES (:id, :action, :keyId, :rule, :silenceExpiresAt, :reason, :requestedBy, :requestedRole,
                                :onBehalfOf, :requestedAt, :expiresAt, 'PENDING')
                        ON CONFLICT DO NOTHING
                        """)
                .bind("id", request.id())
                .bind("action", request.action())
                .bindByType("keyId", request.keyId(), String.class)
                .bindByType("rule", request.rule(), String.class)
                .bindByType("silenceExpiresAt", request.silenceExpiresAt(), Instant.class)
                .bind("reason", request.reason())
                .bind("requestedBy", request.requestedBy())
                .bind("requestedRole", request.requestedRole())
                .bindByType("onBehalfOf", request.onBehalfOf(), String.class)
                .bind("requestedAt", request.requestedAt())
                .bind("expiresAt", request.expiresAt())
                .execute() == 1;
    }

    /** The pending reinstatement of the key, if one waits. */
    Optional<ApprovalRequest> pendingReinstatement(String keyId, Instant now) {
        return handle.createQuery("SELECT " + COLUMNS + """
                         FROM approval_requests
                        WHERE action = 'reinstate-key' AND key_id = :keyId AND status = 'PENDING' AND expires_at > :now
                        """)
                .bind("keyId", keyId)
                .bind("now", now)
                .map(MAPPER)
                .findOne();
    }

    /** The request, locked for the decision about it (FOR UPDATE: two approvers are served one after the other). */
    Optional<ApprovalRequest> lock(String id, Instant now) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM approval_requests WHERE id = :id FOR UPDATE")
                .bind("id", id)
                .bind("now", now)
                .map(MAPPER)
                .findOne();
    }

    /** Records the decision on a request the caller holds locked and knows to be pending. */
    ApprovalRequest decide(String id, ApprovalStatus status, String decidedBy, String note, Instant now) {
        handle.createUpdate("""
                        UPDATE approval_requests
                        SET status = :status, decided_by = :decidedBy, decided_at = :now, decision_note = :note
                        WHERE id = :id AND status = 'PENDING'
                        """)
                .bind("id", id)
                .bind("status", status.name())
                .bind("decidedBy", decidedBy)
                .bindByType("note", note, String.class)
                .bind("now", now)
                .execute();
        return lock(id, now).orElseThrow();
    }

    /** What carrying out an approved request gave; FAILED when the change could not be made. */
    ApprovalRequest recordOutcome(String id, boolean done, String outcome, Instant now) {
        handle.createUpdate("""
                        UPDATE approval_requests SET outcome = :outcome,
                               status = CASE WHEN :done THEN status ELSE 'FAILED' END
                        WHERE id = :id
                        """)
                .bind("id", id)
                .bind("done", done)
                .bind("outcome", outcome)
                .execute();
        return lock(id, now).orElseThrow();
    }

    Optional<ApprovalRequest> find(String id, Instant now) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM approval_requests WHERE id = :id")
                .bind("id", id)
                .bind("now", now)
                .map(MAPPER)
                .findOne();
    }

    /** Requests newest first; {@code status} null for all. PENDING and EXPIRED follow the clock, not the column. */
    List<ApprovalRequest> list(ApprovalStatus status, int limit, Instant now) {
        String where = status == null ? ""
                : switch (status) {
                    case PENDING -> "WHERE status = 'PENDING' AND expires_at > :now ";
                    case EXPIRED -> "WHERE status = 'EXPIRED' OR (status = 'PENDING' AND expires_at <= :now) ";
                    default -> "WHERE status = :status ";
                };
        var query = handle.createQuery("SELECT " + COLUMNS + " FROM approval_requests " + where
                        + "ORDER BY requested_at DESC, id DESC LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit);
        if (where.contains(":status")) {
            query.bind("status", status.name());
        }
        return query.map(MAPPER).list();
    }
}
