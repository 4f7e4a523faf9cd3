package io.keywatch.api.leastprivilege;

import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyStore;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The least-privilege report: which registered keys hold scopes they did not use in the window, and the narrower set
 * to grant. SQL picks the keys ({@link KeyScopeStore#overprivileged}); {@link LeastPrivilegeAssessor} says why.
 */
public final class LeastPrivilegeReport {

    private final KeyStore keys;
    private final KeyScopeStore scopes;
    private final Clock clock;

    public LeastPrivilegeReport(KeyStore keys, KeyScopeStore scopes, Clock clock) {
        this.keys = keys;
        this.scopes = scopes;
        this.clock = clock;
    }

    /** Registered, active, unexpired, non-canary keys with scopes unused in the window; {@code nextCursor} via {@code encode}. */
    public Page list(LeastPrivilegeQuery query) {
        // one instant for the whole page: the SQL and the assessor must agree on the day
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        List<KeyRecord> rows = scopes.overprivileged(query, LeastPrivilegeAssessor.windowStart(today, query.days()),
                now);
        List<KeyRecord> page = rows.subList(0, Math.min(rows.size(), query.limit()));
        Map<String, ScopeObservation> observations = scopes.findAll(page.stream().map(KeyRecord::keyId).toList());
        List<LeastPrivilegeItem> items = new ArrayList<>(page.size());
        for (KeyRecord key : page) {
            items.add(LeastPrivilegeAssessor.assess(key.keyId(), key.metadata(), observations.get(key.keyId()), today,
                    query.days()));
        }
        String lastKey = rows.size() > query.limit() ? page.get(page.size() - 1).keyId() : null;
        return new Page(items, lastKey);
    }

    /** The report on one key; empty when the key is not registered. */
    public Optional<LeastPrivilegeItem> forKey(String keyId, int days) {
        Optional<KeyRecord> key = keys.find(keyId).filter(KeyRecord::isRegistered);
        return key.map(k -> LeastPrivilegeAssessor.assess(keyId, k.metadata(), scopes.find(keyId).orElse(null),
                today(), days));
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** @param lastKey the last key id of this page when another follows, else null */
    public record Page(List<LeastPrivilegeItem> items, String lastKey) {
    }
}
