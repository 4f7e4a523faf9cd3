package io.keywatch.api.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads the audit trail: verifies its chain and streams its entries, both row by row from a server-side cursor (a
 * fetch size inside a transaction), so memory stays bounded however long the trail.
 */
public final class AuditLog {

    static final int FETCH_SIZE = 500;
    private static final String COLUMNS = """
            id, at, identity, role, auth_method, on_behalf_of, source_address, request_id, action, target_type,
            target_id, CAST(before AS text) AS before_text, CAST(after AS text) AS after_text, prev_hash, hash""";

    private final Jdbi jdbi;

    public AuditLog(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** What to export: entries with {@code since <= at < until} (either may be null) and {@code id > afterId}. */
    public record ExportQuery(Instant since, Instant until, long afterId, int limit) {
    }

    /** Recomputes the chain from the first entry to the head, in one snapshot. */
    public AuditVerification verify() {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            record HeadRow(long lastId, String lastHash) {
            }
            HeadRow head = handle.createQuery("SELECT last_id, last_hash FROM audit_chain_head WHERE id = 1")
                    .map((rs, ctx) -> new HeadRow(rs.getLong("last_id"), rs.getString("last_hash"))).one();
            long expectedId = 1;
            String prev = ChainHash.GENESIS;
            try (Stream<StoredAuditEntry> rows = handle.createQuery("SELECT " + COLUMNS
                            + " FROM audit_log ORDER BY id")
                    .setFetchSize(FETCH_SIZE).map((rs, ctx) -> entry(rs)).stream()) {
                Iterator<StoredAuditEntry> it = rows.iterator();
                while (it.hasNext()) {
                    StoredAuditEntry e = it.next();
                    long checked = expectedId - 1;
                    if (e.id() != expectedId) {
                        return AuditVerification.broken(checked, expectedId, e.id() < expectedId
                                ? "entry " + e.id() + " is out of order"
                                : "entries " + expectedId + " to " + (e.id() - 1) + " are missing");
                    }
                    if (!prev.equals(e.prevHash())) {
                        return AuditVerification.broken(checked, e.id(),
                                "its prev_hash is not the hash of the entry before it");
                    }
                    if (!ChainHash.of(prev, e).equals(e.hash())) {
                        return AuditVerification.broken(checked, e.id(),
                                "its hash does not match its content: the entry was changed after it was written");
                    }
                    prev = e.hash();
                    expectedId++;
                }
            }
            long entries = expectedId - 1;
            if (head.lastId() != entries || !head.lastHash().equals(prev)) {
                return AuditVerification.broken(entries, entries + 1, "the chain head is entry " + head.lastId()
                        + " but the trail ends at entry " + entries + ": entries were removed or the head was moved");
            }
            return AuditVerification.verified(entries, prev);
        });
    }

    /** Hands each matching entry, oldest first, to {@code sink}, and returns how many. */
    public long export(ExportQuery query, Consumer<StoredAuditEntry> sink) {
        return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, handle -> {
            long count = 0;
            try (Stream<StoredAuditEntry> rows = exportQuery(handle, query)) {
                Iterator<StoredAuditEntry> it = rows.iterator();
                while (it.hasNext()) {
                    sink.accept(it.next());
                    count++;
                }
            }
            return count;
        });
    }

    private Stream<StoredAuditEntry> exportQuery(Handle handle, ExportQuery query) {
        String range = (query.since() == null ? "" : " AND at >= :since")
                + (query.until() == null ? "" : " AND at < :until");
        Query sql = handle.createQuery("SELECT " + COLUMNS + " FROM audit_log WHERE id > :afterId" + range
                        + " ORDER BY id LIMIT :limit")
                .bind("afterId", query.afterId())
                .bind("limit", query.limit());
        if (query.since() != null) {
            sql.bind("since", query.since());
        }
        if (query.until() != null) {
            sql.bind("until", query.until());
        }
        return sql.setFetchSize(FETCH_SIZE).map((rs, ctx) -> entry(rs)).stream();
    }

    private static StoredAuditEntry entry(ResultSet rs) throws SQLException {
        return new StoredAuditEntry(rs.getLong("id"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("identity"), rs.getString("role"), rs.getString("auth_method"),
                rs.getString("on_behalf_of"), rs.getString("source_address"), rs.getString("request_id"),
                rs.getString("action"), rs.getString("target_type"), rs.getString("target_id"),
                rs.getString("before_text"), rs.getString("after_text"), rs.getString("prev_hash"),
                rs.getString("hash"));
    }
}
