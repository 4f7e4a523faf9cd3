package io.keywatch.api.keys;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The key registry in PostgreSQL. A key without a row has never been acted on, so it is ACTIVE. */
public final class KeyStore {

    private static final String COLUMNS = "key_id, status, changed_at, reason, changed_by, state_published";

    /*
     * One statement, so two concurrent revocations cannot both "win": the unique key serialises them and the
     * WHERE leaves an already revoked row untouched, in which case nothing is returned.
     */
    private static final String REVOKE = """
            INSERT INTO keys (key_id, status, changed_at, reason, changed_by, state_published)
            VALUES (:keyId, 'REVOKED', :changedAt, :reason, :changedBy, false)
            ON CONFLICT (key_id) DO UPDATE SET
                status          = 'REVOKED',
                changed_at      = EXCLUDED.changed_at,
                reason          = EXCLUDED.reason,
                changed_by      = EXCLUDED.changed_by,
                state_published = false
            WHERE keys.status <> 'REVOKED'
            RETURNING key_id, status, changed_at, reason, changed_by, state_published
            """;

    private final Jdbi jdbi;

    public KeyStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public Optional<KeyRecord> find(String keyId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM keys WHERE key_id = :keyId")
                .bind("keyId", keyId)
                .mapTo(KeyRecord.class)
                .findOne());
    }

    /** Marks the key revoked unless it already is; {@code changedAt} must already be truncated to microseconds. */
    public Revocation revoke(String keyId, String reason, String changedBy, Instant changedAt) {
        return jdbi.inTransaction(handle -> {
            Optional<KeyRecord> changed = handle.createQuery(REVOKE)
                    .bind("keyId", keyId)
                    .bind("changedAt", changedAt)
                    .bind("reason", reason)
                    .bind("changedBy", changedBy)
                    .mapTo(KeyRecord.class)
                    .findOne();
            if (changed.isPresent()) {
                return new Revocation(changed.get(), true);
            }
            KeyRecord existing = handle.createQuery("SELECT " + COLUMNS + " FROM keys WHERE key_id = :keyId")
                    .bind("keyId", keyId)
                    .mapTo(KeyRecord.class)
                    .one();
            return new Revocation(existing, false);
        });
    }

    /** Changes whose announcement Kafka has not acknowledged yet, oldest first. */
    public List<KeyRecord> unpublished(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM keys WHERE NOT state_published ORDER BY changed_at LIMIT :limit")
                .bind("limit", limit)
                .mapTo(KeyRecord.class)
                .list());
    }

    /** Records Kafka's acknowledgement of the change made at {@code changedAt} (not of a later one). */
    public void markPublished(String keyId, Instant changedAt) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE keys SET state_published = true
                        WHERE key_id = :keyId AND changed_at = :changedAt
                        """)
                .bind("keyId", keyId)
                .bind("changedAt", changedAt)
                .execute());
    }
}
