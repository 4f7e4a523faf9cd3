package io.keywatch.api.audit;

import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;

/**
 * Appends to the audit trail, in the caller's transaction: the entry commits with the change it records or not at
 * all. Appends lock the chain head row, so concurrent changes (several API instances included) form one chain; the
 * lock is held until the transaction ends, so record as the LAST step of a change's transaction (after the change's
 * own row locks): taking other locks after it could deadlock with a transaction that holds them and waits here.
 */
public final class AuditTrail {

    private AuditTrail() {
    }

    private record Head(long lastId, String lastHash, String before, String after) {
    }

    /** Records {@code entry} and returns its id. Must run inside a transaction. */
    public static long record(Handle handle, AuditEntry entry) {
        if (!handle.isInTransaction()) {
            throw new IllegalStateException("an audit entry is recorded in the transaction of its change");
        }
        String beforeJson = entry.before() == null ? null : entry.before().toString();
        String afterJson = entry.after() == null ? null : entry.after().toString();
        // the head's lock, and the JSON as PostgreSQL will store it (the hash covers exactly what verify reads back)
        Head head = handle.createQuery("""
                        SELECT last_id, last_hash, CAST(CAST(:before AS jsonb) AS text) AS before_text,
                               CAST(CAST(:after AS jsonb) AS text) AS after_text
                        FROM audit_chain_head WHERE id = 1 FOR UPDATE
                        """)
                .bind("before", beforeJson)
                .bind("after", afterJson)
                .map((rs, ctx) -> new Head(rs.getLong("last_id"), rs.getString("last_hash"),
                        rs.getString("before_text"), rs.getString("after_text")))
                .one();
        AuditActor who = entry.actor();
        StoredAuditEntry stored = new StoredAuditEntry(head.lastId() + 1, entry.at().truncatedTo(ChronoUnit.MICROS),
                who.identity(), who.role(), who.method(), who.onBehalfOf(), who.sourceAddress(), who.requestId(),
                entry.action(), entry.targetType(), entry.targetId(), head.before(), head.after(), head.lastHash(),
                null);
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
