package io.keywatch.api.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the audit trail, in the caller's transaction: the entry commits with the change it records or not at
 * all. Appends lock the chain head row, so concurrent changes (several API instances included) form one chain; the
 * lock is held until the transaction ends, so record as the LAST step of a change's transaction (after the change's
 * own row locks): taking other locks after it could deadlock with a transaction that holds them and waits here.
 */
public final class AuditTrail {

    private final Handle handle;

    /** The trail as seen through one transaction's handle: entries are appended in that transaction. */
    public AuditTrail(Handle handle) {
        this.handle = handle;
    }

    /** The head, and the entry's fields as PostgreSQL will store them: the hash covers exactly what verify reads. */
    private record Head(long lastId, String lastHash, StoredAuditEntry entry) {
    }

    /** Records {@code entry} and returns its id. Must run inside a transaction. */
    public long record(AuditEntry entry) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("an audit entry is recorded in the transaction of its change");
        }
        JsonNode before = PgText.of(entry.before());
        JsonNode after = PgText.of(entry.after());
        AuditActor who = entry.actor();
        Instant at = entry.at().truncatedTo(ChronoUnit.MICROS);
        // the head's lock; every text goes through PostgreSQL once (jsonb re-formats JSON, the driver replaces what
        // UTF-8 cannot encode), so the stored entry and the hashed one are the same
        Head head = handle.createQuery("""
                        SELECT last_id, last_hash, CAST(:identity AS text) AS identity, CAST(:role AS text) AS role,
                               CAST(:method AS text) AS method, CAST(:onBehalfOf AS text) AS on_behalf_of,
                               CAST(:sourceAddress AS text) AS source_address, CAST(:requestId AS text) AS request_id,
                               CAST(:action AS text) AS action, CAST(:targetType AS text) AS target_type,
                               CAST(:targetId AS text) AS target_id,
                               CAST(CAST(:before AS jsonb) AS text) AS before_text,
                               CAST(CAST(:after AS jsonb) AS text) AS after_text
                        FROM audit_chain_head WHERE id = 1 FOR UPDATE
                        """)
                .bind("identity", PgText.of(who.identity()))
                .bind("role", PgText.of(who.role()))
                .bind("method", PgText.of(who.method()))
                .bind("onBehalfOf", PgText.of(who.onBehalfOf()))
                .bind("sourceAddress", PgText.of(who.sourceAddress()))
                .bind("requestId", PgText.of(who.requestId()))
                .bind("action", entry.action())
                .bind("targetType", PgText.of(entry.targetType()))
                .bind("targetId", PgText.of(entry.targetId()))
                .bind("before", before == null ? null : before.toString())
                .bind("after", after == null ? null : after.toString())
                .map((rs, ctx) -> new Head(rs.getLong("last_id"), rs.getString("last_hash"),
                        new StoredAuditEntry(rs.getLong("last_id") + 1, at, rs.getString("identity"),
                                rs.getString("role"), rs.getString("method"), rs.getString("on_behalf_of"),
                                rs.getString("source_address"), rs.getString("request_id"), rs.getString("action"),
                                rs.getString("target_type"), rs.getString("target_id"), rs.getString("before_text"),
                                rs.getString("after_text"), rs.getString("last_hash"), null)))
                .one();
        StoredAuditEntry stored = head.entry();
        String hash = ChainHash.of(head.lastHash(), stored);
        handle.createUpdate("""
                        INSERT INTO audit_log (id, at, identity, role, auth_method, on_behalf_of, source_address,
                                               request_id, action, target_type, target_id, before, after, prev_hash,
                                               hash)
                        VALUES (:id, :at, :identity, :role, :authMethod, :onBehalfOf, :sourceAddress, :requestId,
                                :action, :targetType, :targetId, CAST(:before AS jsonb), CAST(:after AS jsonb),
                                :prevHash, :hash)
                        """)
                .bind("id", stored.id())
                .bind("at", stored.at())
                .bind("identity", stored.identity())
                .bind("role", stored.role())
                .bind("authMethod", stored.authMethod())
                .bind("onBehalfOf", stored.onBehalfOf())
                .bind("sourceAddress", stored.sourceAddress())
                .bind("requestId", stored.requestId())
                .bind("action", stored.action())
                .bind("targetType", stored.targetType())
                .bind("targetId", stored.targetId())
                .bind("before", stored.before())
                .bind("after", stored.after())
                .bind("prevHash", stored.prevHash())
                .bind("hash", hash)
                .execute();
        handle.createUpdate("UPDATE audit_chain_head SET last_id = :id, last_hash = :hash WHERE id = 1")
                .bind("id", stored.id())
                .bind("hash", hash)
                .execute();
        return stored.id();
    }
}
