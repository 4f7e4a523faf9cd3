package io.keywatch.api.leastprivilege;

import io.keywatch.api.keys.KeyRecord;
import io.keywatch.events.KeyScopeUsage;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Key scope usage in PostgreSQL ({@code key_scope_observations}, {@code key_scope_usage}): written by the key-scopes
 * intake, read by the least-privilege report. A key holds exactly its latest record (at most
 * {@link KeyScopeUsage#MAX_SCOPES} scopes): a record replaces the stored one unless that is newer, so replays and
 * out-of-order copies change nothing.
 */
public final class KeyScopeStore {

    // only a record at least as new as the stored one replaces it (RETURNING says whether it did)
    private static final String UPSERT_OBSERVATION = """
            INSERT INTO key_scope_observations (key_id, first_seen, truncated, newest_day, updated_at)
            VALUES (:keyId, :firstSeen, :truncated, :newestDay, :at)
            ON CONFLICT (key_id) DO UPDATE SET
                first_seen = EXCLUDED.first_seen,
                truncated  = EXCLUDED.truncated,
                newest_day = EXCLUDED.newest_day,
                updated_at = EXCLUDED.updated_at
            WHERE key_scope_observations.newest_day IS NULL
               OR key_scope_observations.newest_day <= EXCLUDED.newest_day
            RETURNING key_id
            """;
    private static final String DELETE_SCOPES = "DELETE FROM key_scope_usage WHERE key_id = :keyId";
    private static final String INSERT_SCOPE = """
            INSERT INTO key_scope_usage (key_id, scope, last_used) VALUES (:keyId, :scope, :lastUsed)
            """;
    private static final String KEY_COLUMNS = """
            k.key_id, k.status, k.changed_at, k.reason, k.changed_by, k.state_published, k.metadata::text AS metadata,
            k.revoked_at, k.registered_at, k.registry_updated_at, k.registry_updated_by,
            k.changed_on_behalf_of, k.registry_updated_on_behalf_of
            """;

    private final Jdbi jdbi;

    public KeyScopeStore(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Stores the records in one transaction (keys in order, so that two writers never deadlock): each replaces what
     * its key held, unless the stored record is newer ({@link KeyScopeUsage#newestDay}), so replays and copies out of
     * order change nothing and a key holds at most one record's scopes.
     */
    public void upsert(Collection<KeyScopeUsage> usages, Instant at) {
        if (usages.isEmpty()) {
            return;
        }
        List<KeyScopeUsage> sorted = new ArrayList<>(usages);
        sorted.sort(Comparator.comparing(KeyScopeUsage::keyId));
        jdbi.useTransaction(handle -> {
            for (KeyScopeUsage usage : sorted) {
                boolean replaced = handle.createQuery(UPSERT_OBSERVATION)
                        .bind("keyId", usage.keyId()).bind("firstSeen", usage.firstSeen())
                        .bind("truncated", usage.truncated()).bind("newestDay", usage.newestDay()).bind("at", at)
                        .mapTo(String.class).findOne().isPresent();
                if (!replaced) {
                    continue;
                }
                handle.createUpdate(DELETE_SCOPES).bind("keyId", usage.keyId()).execute();
                if (!usage.lastUsed().isEmpty()) {
                    PreparedBatch scopes = handle.prepareBatch(INSERT_SCOPE);
                    for (Map.Entry<String, LocalDate> entry : usage.lastUsed().entrySet()) {
                        scopes.bind("keyId", usage.keyId()).bind("scope", entry.getKey())
                                .bind("lastUsed", entry.getValue()).add();
                    }
                    scopes.execute();
                }
            }
        });
    }

    public Optional<ScopeObservation> find(String keyId) {
        return Optional.ofNullable(findAll(List.of(keyId)).get(keyId));
    }

    /** The observations of those keys that have one. */
    public Map<String, ScopeObservation> findAll(Collection<String> keyIds) {
        if (keyIds.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(handle -> {
            Map<String, Map<String, LocalDate>> scopes = new HashMap<>();
            handle.createQuery("SELECT key_id, scope, last_used FROM key_scope_usage WHERE key_id = ANY(:ids)")
                    .bindArray("ids", String.class, keyIds)
                    .map((rs, ctx) -> {
                        scopes.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .put(rs.getString(2), rs.getObject(3, LocalDate.class));
                        return 0;
                    })
                    .list();
            Map<String, ScopeObservation> found = new LinkedHashMap<>();
            handle.createQuery("""
                            SELECT key_id, first_seen, truncated FROM key_scope_observations WHERE key_id = ANY(:ids)
                            """)
                    .bindArray("ids", String.class, keyIds)
                    .map((rs, ctx) -> new ScopeObservation(rs.getString(1), rs.getObject(2, LocalDate.class),
                            rs.getBoolean(3), scopes.getOrDefault(rs.getString(1), Map.of())))
                    .forEach(o -> found.put(o.keyId(), o));
            return found;
        });
    }

    /**
     * One page (by key id, {@code limit + 1} rows to tell whether there is more) of the keys the report lists:
     * registered, ACTIVE, unexpired at {@code now}, not canaries, with scopes, watched the whole window (first seen
     * before {@code windowStart}, as {@link io.keywatch.events.KeyScopeWindow} says), and with some registered scope
     * shown unused since {@code windowStart} (a missing one only under the truncated rule of
     * {@link io.keywatch.events.KeyScopeWindow#missingMeansUnused}). Every condition runs in SQL.
     */
    public List<KeyRecord> overprivileged(LeastPrivilegeQuery query, LocalDate windowStart, Instant now) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        if (query.owner() != null) {
            conditions.add("k.owner = :owner");
            params.put("owner", query.owner());
        }
        if (query.service() != null) {
            conditions.add("k.service = :service");
            params.put("service", query.service());
        }
        if (query.afterKey() != null) {
            conditions.add("k.key_id > :afterKey");
            params.put("afterKey", query.afterKey());
        }
        String sql = "SELECT " + KEY_COLUMNS + """
                FROM keys k JOIN key_scope_observations o ON o.key_id = k.key_id
                WHERE k.metadata IS NOT NULL AND k.status = 'ACTIVE'
                  AND NOT COALESCE(k.metadata @> '{"canary": true}', false)
                  AND (k.metadata ->> 'expiresAt' IS NULL OR (k.metadata ->> 'expiresAt')::timestamptz > :now)
                  AND jsonb_typeof(k.metadata -> 'scopes') = 'array'
                  AND o.first_seen < :windowStart
                  AND EXISTS (
                      SELECT 1 FROM jsonb_array_elements_text(k.metadata -> 'scopes') AS registered(scope)
                      LEFT JOIN key_scope_usage u ON u.key_id = k.key_id AND u.scope = registered.scope
                      WHERE u.last_used < :windowStart
                         OR (u.last_used IS NULL AND (NOT o.truncated OR (
                              SELECT min(m.last_used) FROM key_scope_usage m
                              WHERE m.key_id = k.key_id
                                AND NOT (k.metadata -> 'scopes') @> jsonb_build_array(m.scope)) < :windowStart)))
                """ + conditions.stream().map(c -> "  AND " + c + "\n").reduce("", String::concat)
                + "ORDER BY k.key_id\nLIMIT :fetch";
        return jdbi.withHandle(handle -> handle.createQuery(sql)
                .bindMap(params)
                .bind("windowStart", windowStart)
                .bind("now", now)
                .bind("fetch", query.limit() + 1)
                .mapTo(KeyRecord.class)
                .list());
    }
}
