package io.keywatch.api.keys;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The key registry's rows in one transaction: every read and write goes through the handle it was made with, so
 * that the caller decides what commits together (a revocation, its audit entry, its webhook). Made by
 * {@link KeyStore#on}, or directly by a feature that opens its own transaction without a {@link KeyStore} (the
 * automatic revocation engine).
 */
public final class KeyRows {

    static final String COLUMNS = """
            key_id, status, changed_at, reason, changed_by, state_published, metadata::text AS metadata,
            revoked_at, registered_at, registry_updated_at, registry_updated_by,
            changed_on_behalf_of, registry_updated_on_behalf_of
            """;

    /*
     * One statement, so two concurrent revocations cannot both "win": the unique key serialises them and the
     * WHERE leaves an already revoked row untouched, in which case nothing is returned. A registered key keeps its
     * metadata.
     */
    private static final String REVOKE = """
            INSERT INTO keys (key_id, status, changed_at, reason, changed_by, changed_on_behalf_of, state_published,
                              revoked_at)
            VALUES (:keyId, 'REVOKED', :changedAt, :reason, :changedBy, :onBehalfOf, false, :changedAt)
            ON CONFLICT (key_id) DO UPDATE SET
                status          = 'REVOKED',
                changed_at      = EXCLUDED.changed_at,
                reason          = EXCLUDED.reason,
                changed_by      = EXCLUDED.changed_by,
                changed_on_behalf_of = EXCLUDED.changed_on_behalf_of,
                revoked_at      = EXCLUDED.revoked_at,
                state_published = false
            WHERE keys.status <> 'REVOKED'
            RETURNING
            """ + COLUMNS;

    /* A reinstated key keeps its registry entry; reason says why it was reinstated. */
    private static final String REINSTATE = """
            UPDATE keys SET status = 'ACTIVE', changed_at = :at, reason = :reason, changed_by = :actor,
                            changed_on_behalf_of = :onBehalfOf, revoked_at = NULL, state_published = false
            WHERE key_id = :keyId
            RETURNING
            """ + COLUMNS;

    private final Handle handle;

    /** The rows as seen through {@code handle}, an open transaction's. */
    public KeyRows(Handle handle) {
        this.handle = handle;
    }

    /**
     * Marks the key revoked unless it already is ({@code changed} false then, with the row as it is);
     * {@code changedAt} must already be truncated to microseconds.
     */
    public Revocation revoke(String keyId, String reason, String changedBy, Instant changedAt) {
        return revoke(keyId, reason, changedBy, null, changedAt);
    }

    /** As above, with the caller's "on behalf of" note beside {@code changedBy}. */
    public Revocation revoke(String keyId, String reason, String changedBy, String onBehalfOf, Instant changedAt) {
        Optional<KeyRecord> changed = handle.createQuery(REVOKE)
                .bind("keyId", keyId)
                .bind("changedAt", changedAt)
                .bind("reason", reason)
                .bind("changedBy", changedBy)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .mapTo(KeyRecord.class)
                .findOne();
        if (changed.isPresent()) {
            return new Revocation(changed.get(), true);
        }
        return new Revocation(find(keyId, false).orElseThrow(), false);
    }

    /**
     * Makes a revoked key active again: empty when the key has no row; the unchanged row (changed=false) when it is
     * not revoked. The registry entry is kept.
     */
    public Optional<Revocation> reinstate(String keyId, String reason, String changedBy, Instant changedAt) {
        return reinstate(keyId, reason, changedBy, null, changedAt);
    }

    /** As above, with the caller's "on behalf of" note beside {@code changedBy}. */
    public Optional<Revocation> reinstate(String keyId, String reason, String changedBy, String onBehalfOf,
                                          Instant changedAt) {
        Optional<KeyRecord> current = find(keyId, true);
        if (current.isEmpty() || !current.get().isRevoked()) {
            return current.map(key -> new Revocation(key, false));
        }
        KeyRecord changed = handle.createQuery(REINSTATE)
                .bind("keyId", keyId)
                .bind("at", changedAt)
                .bind("reason", reason)
                .bind("actor", changedBy)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .mapTo(KeyRecord.class)
                .one();
        return Optional.of(new Revocation(changed, true));
    }

    /**
     * The registered keys among {@code keyIds}, by key id, in one statement; {@code lock}: each row locked, in key id
     * order (concurrent batches lock overlapping keys in the same order, never deadlocking on each other).
     */
    public Map<String, KeyRecord> findAll(Collection<String> keyIds, boolean lock) {
        Map<String, KeyRecord> found = new HashMap<>();
        if (keyIds.isEmpty()) {
            return found;
        }
        handle.createQuery("SELECT " + COLUMNS + " FROM keys WHERE key_id = ANY(:keyIds) ORDER BY key_id"
                        + (lock ? " FOR UPDATE" : ""))
                .bindArray("keyIds", String.class, keyIds.toArray())
                .mapTo(KeyRecord.class)
                .forEach(key -> found.put(key.keyId(), key));
        return found;
    }

    /** The key's row, locked FOR UPDATE when {@code lock}: serialises with every other change of the key. */
    public Optional<KeyRecord> find(String keyId, boolean lock) {
        return handle.createQuery("SELECT " + COLUMNS + " FROM keys WHERE key_id = :keyId" + (lock ? " FOR UPDATE" : ""))
                .bind("keyId", keyId)
                .mapTo(KeyRecord.class)
                .findOne();
    }
}
