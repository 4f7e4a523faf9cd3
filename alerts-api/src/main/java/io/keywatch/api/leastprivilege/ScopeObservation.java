package io.keywatch.api.leastprivilege;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What keywatch stored of one key's scope usage (the latest {@code KeyScopeUsage} records, merged).
 *
 * @param firstSeen the UTC day keywatch first saw an event of the key
 * @param truncated the key used more scopes than the topology keeps, so older ones may be missing
 * @param lastUsed  scope to the last UTC day an event of the key carried it, sorted by scope
 */
public record ScopeObservation(String keyId, LocalDate firstSeen, boolean truncated, Map<String, LocalDate> lastUsed) {

    public ScopeObservation {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(firstSeen, "firstSeen");
        lastUsed = java.util.Collections.unmodifiableMap(new TreeMap<>(lastUsed));
    }
}
