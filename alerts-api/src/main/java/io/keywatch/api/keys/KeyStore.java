package io.keywatch.api.keys;

import static io.keywatch.api.keys.KeyRows.COLUMNS;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeywatchJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The key registry in PostgreSQL: keys that were registered, revoked, or both. A key without a row has never been
 * registered nor acted on, so it is ACTIVE.
 */
public final class KeyStore {

    /** Sorts after every other character in the "C" collation: the exclusive upper bound of a prefix range. */
    private static final String MAX_CHAR = new String(Character.toChars(Character.MAX_CODE_POINT));

    private static final String REGISTER_NEW = """
            INSERT INTO keys (key_id, status, changed_at, reason, changed_by, changed_on_behalf_of, state_published,
                              metadata, owner, service, registered_at, registry_updated_at, registry_updated_by,
                              registry_updated_on_behalf_of)
            VALUES (:keyId, 'ACTIVE', :at, NULL, :actor, :onBehalfOf, false, CAST(:metadata AS jsonb), :owner,
                    :service, :at, :at, :actor, :onBehalfOf)
            ON CONFLICT (key_id) DO NOTHING
            """;

    /* A revoked key keeps who revoked it and why; an active key's changedBy is whoever changed its entry last. */
    private static final String REGISTER_UPDATE = """
            UPDATE keys SET
                metadata            = CAST(:metadata AS jsonb),
                owner               = :owner,
                service             = :service,
                registered_at       = COALESCE(registered_at, :at),
                registry_updated_at = :at,
                registry_updated_by = :actor,
                registry_updated_on_behalf_of = :onBehalfOf,
                changed_at          = :at,
                changed_by          = CASE WHEN status = 'ACTIVE' THEN :actor ELSE changed_by END,
                changed_on_behalf_of = CASE WHEN status = 'ACTIVE' THEN :onBehalfOf ELSE changed_on_behalf_of END,
                state_published     = false
            WHERE key_id = :keyId
            """;

    private final Jdbi jdbi;
    private final ObjectMapper json;

    public KeyStore(Jdbi jdbi, ObjectMapper json) {
        this.jdbi = jdbi;
        this.json = json;
    }

    public KeyStore(Jdbi jdbi) {
        this(jdbi, KeywatchJson.newMapper());
    }

    public Optional<KeyRecord> find(String keyId) {
        return jdbi.withHandle(handle -> on(handle).find(keyId, false));
    }

    /** The key's registry entry, if it has one. */
    public Optional<KeyMetadata> metadata(String keyId) {
        return find(keyId).map(KeyRecord::metadata);
    }

    /** Marks the key revoked unless it already is; {@code changedAt} must already be truncated to microseconds. */
    public Revocation revoke(String keyId, String reason, String changedBy, Instant changedAt) {
        return jdbi.inTransaction(handle -> on(handle).revoke(keyId, reason, changedBy, changedAt));
    }

    /** Runs {@code work} in one transaction; the other stores' writes on the same handle commit with it. */
    public <R> R inTransaction(Function<Handle, R> work) {
        return jdbi.inTransaction(work::apply);
    }

    /** The keys as seen through {@code handle}: the caller's transaction. */
    public KeyRows on(Handle handle) {
        return new KeyRows(handle);
    }

    /** The keys among {@code keyIds} whose latest change Kafka has not acknowledged yet. */
    public List<String> unpublishedAmong(Collection<String> keyIds) {
        if (keyIds.isEmpty()) {
            return List.of();
        }
        return jdbi.withHandle(handle -> handle.createQuery(
                        "SELECT key_id FROM keys WHERE key_id = ANY(:ids) AND NOT state_published ORDER BY key_id")
                .bindArray("ids", String.class, keyIds)
                .mapTo(String.class)
                .list());
    }

    /**
     * Creates or replaces the key's registry entry; {@code at} must already be truncated to microseconds. The status
     * is left as it is. Registering the same metadata again changes nothing (unless its announcement is pending).
     */
    public Registration register(String keyId, KeyMetadata metadata, String actor, Instant at) {
        return register(keyId, metadata, actor, at, AuditActor.keywatch(actor));
    }

    /** The same; a change is recorded in the audit trail as made by {@code by} ({@code key.registered/updated}). */
    public Registration register(String keyId, KeyMetadata metadata, String actor, Instant at, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        String metadataJson = toJson(metadata);
        return jdbi.inTransaction(handle -> {
            KeyRows rows = on(handle);
            int inserted = handle.createUpdate(REGISTER_NEW)
                    .bind("keyId", keyId)
                    .bind("at", at)
                    .bind("actor", actor)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .bind("metadata", metadataJson)
                    .bind("owner", metadata.owner())
                    .bind("service", metadata.service())
                    .execute();
            if (inserted == 1) {
                KeyRecord created = rows.find(keyId, false).orElseThrow();
                new AuditTrail(handle).record(AuditEntry.of(by, at, "key.registered", "key", keyId, null, created));
                return new Registration(created, true);
            }
            // serialises with revocations and other registrations of this key
            KeyRecord existing = rows.find(keyId, true).orElseThrow();
            boolean same = existing.metadata() != null && handle.createQuery(
                            "SELECT metadata = CAST(:metadata AS jsonb) FROM keys WHERE key_id = :keyId")
                    .bind("keyId", keyId)
                    .bind("metadata", metadataJson)
                    .mapTo(Boolean.class)
                    .one();
            if (same) {
                return new Registration(existing, false);
            }
            handle.createUpdate(REGISTER_UPDATE)
                    .bind("keyId", keyId)
                    .bind("at", at)
                    .bind("actor", actor)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .bind("metadata", metadataJson)
                    .bind("owner", metadata.owner())
                    .bind("service", metadata.service())
                    .execute();
            KeyRecord updated = rows.find(keyId, false).orElseThrow();
            new AuditTrail(handle).record(AuditEntry.of(by, at,
                    existing.metadata() == null ? "key.registered" : "key.updated", "key", keyId, existing, updated));
            return new Registration(updated, existing.metadata() == null);
        });
    }

    /**
     * Publishes the key's current state unless Kafka already acknowledged it, holding the key's row lock while it
     * does: announcements of one key are serialised with its changes, so the last record on the compacted topic is
     * always the latest state, even when a registration and a revocation race. Throws
     * {@link KeyStatePublishException} when Kafka does not acknowledge; the change stays pending.
     */
    public KeyRecord announce(String keyId, KeyStatePublisher publisher) {
        return jdbi.inTransaction(handle -> {
            KeyRecord key = on(handle).find(keyId, true).orElseThrow(() ->
                    new IllegalStateException("no key " + keyId + " to announce"));
            if (key.statePublished()) {
                return key;
            }
            publisher.publish(key.toKeyState());
            handle.createUpdate("UPDATE keys SET state_published = true WHERE key_id = :keyId")
                    .bind("keyId", keyId)
                    .execute();
            return key.published();
        });
    }

    /** Keys whose latest change Kafka has not acknowledged yet, oldest first. */
    public List<KeyRecord> unpublished(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM keys WHERE NOT state_published ORDER BY changed_at LIMIT :limit")
                .bind("limit", limit)
                .mapTo(KeyRecord.class)
                .list());
    }

    /**
     * One page of keys in key id order; every filter runs in SQL, the cursor is a keyset seek on the primary key and
     * the prefix is a range on it (the "C" collation makes byte order the order of the index).
     */
    public KeyPage search(KeyQuery query) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.owner() != null) {
            conditions.add("owner = :owner");
            params.put("owner", query.owner());
        }
        if (query.service() != null) {
            conditions.add("service = :service");
            params.put("service", query.service());
        }
        if (query.status() != null) {
            conditions.add("status = :status");
            params.put("status", query.status().name());
        }
        if (query.prefix() != null) {
            conditions.add("key_id >= :prefix AND key_id < :prefixEnd");
            params.put("prefix", query.prefix());
            params.put("prefixEnd", query.prefix() + MAX_CHAR);
        }
        if (query.canary() != null) {
            // canary is stored only when true (KeyMetadataParser), so a real key's entry has no such field
            conditions.add((query.canary() ? "" : "NOT ") + "COALESCE(metadata @> '{\"canary\": true}', false)");
        }
        if (query.afterKey() != null) {
            conditions.add("key_id > :afterKey");
            params.put("afterKey", query.afterKey());
        }
        String where = conditions.isEmpty() ? "" : "WHERE " + String.join(" AND ", conditions) + "\n";
        String sql = "SELECT " + COLUMNS + " FROM keys\n" + where + "ORDER BY key_id\nLIMIT :fetch";
        List<KeyRecord> rows = jdbi.withHandle(handle -> handle.createQuery(sql)
                .bindMap(params)
                .bind("fetch", query.limit() + 1)
                .mapTo(KeyRecord.class)
                .list());
        List<KeyView> views = rows.stream().limit(query.limit()).map(KeyView::summary).toList();
        String next = rows.size() > query.limit() ? KeyPage.CURSOR.encode(views.get(views.size() - 1).keyId()) : null;
        return new KeyPage(views, next);
    }

    /**
     * Up to {@code limit} ids of registered keys that are not canaries, the most recently registered first: what a
     * new canary's id is made to look like.
     */
    public List<String> realKeyIds(int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT key_id FROM keys
                        WHERE metadata IS NOT NULL AND NOT COALESCE(metadata @> '{"canary": true}', false)
                        ORDER BY registered_at DESC NULLS LAST, key_id LIMIT :limit""")
                .bind("limit", limit)
                .mapTo(String.class)
                .list());
    }

    private String toJson(KeyMetadata metadata) {
        try {
            return json.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("key metadata cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
