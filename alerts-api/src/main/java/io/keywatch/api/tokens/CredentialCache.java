package io.keywatch.api.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The token rows read in the last moment ({@code KEYWATCH_TOKEN_CACHE_MS}), so that a client sending many requests
 * with one token costs one query a moment, not one per request (the lookup was the largest fixed cost of an API
 * request, and took a second connection from the pool). A row is at most that old: a token revoked through another
 * instance is refused within it; through this one at once ({@link #evict}). Only rows that exist are kept, and at
 * most {@value #MAX_ENTRIES} of them, so made-up token ids cannot grow it. The secret is still checked on every
 * request against the row's hash.
 */
final class CredentialCache {

    static final int MAX_ENTRIES = 1024;

    private record Entry(ApiTokenStore.Credential credential, Instant readAt) {
    }

    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    /** Counts evictions: a row read while one happened may be the evicted state, and is not kept. */
    private long evictions;

    CredentialCache(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** None: every lookup reads the database. */
    static CredentialCache none() {
        return new CredentialCache(Duration.ZERO, Clock.systemUTC());
    }

    /** The row of {@code id}: kept if read within the time-to-live, else read with {@code read} (and kept if found). */
    Optional<ApiTokenStore.Credential> get(String id, Function<String, Optional<ApiTokenStore.Credential>> read) {
        if (ttl.isZero()) {
            return read.apply(id);
        }
        Instant now = clock.instant();
        long evictionsBefore;
        synchronized (entries) {
            Entry entry = entries.get(id);
            if (entry != null && now.isBefore(entry.readAt().plus(ttl)) && !now.isBefore(entry.readAt())) {
                return Optional.of(entry.credential());
            }
            evictionsBefore = evictions;
        }
        // read outside the lock: a slow database must not serialize every request behind one
        Optional<ApiTokenStore.Credential> row = read.apply(id);
        synchronized (entries) {
            if (row.isPresent() && evictions == evictionsBefore) {
                entries.put(id, new Entry(row.get(), now));
            } else {
                // a revocation meanwhile: the row read may be from before it, so it is not kept
                entries.remove(id);
            }
        }
        return row;
    }

    /** The token was revoked or changed here: its next request reads the row again. */
    void evict(String id) {
        synchronized (entries) {
            entries.remove(id);
            evictions++;
        }
    }

    /** Its last use was written: the kept row says so, or every request would write it again. */
    void touched(String id, Instant at) {
        synchronized (entries) {
            Entry entry = entries.get(id);
            if (entry != null) {
                ApiTokenStore.Credential c = entry.credential();
                entries.put(id, new Entry(new ApiTokenStore.Credential(c.id(), c.name(), c.role(), c.secretHash(),
                        c.expiresAt(), c.revokedAt(), at), entry.readAt()));
            }
        }
    }
}
