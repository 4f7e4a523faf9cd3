package io.keywatch.events;

import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Which scopes one key has actually used, as the topology saw them on its usage events: the record of the compacted
 * key-scopes topic ({@link Topics#keyScopes()}), keyed by key id, signed like the alert records. The topology
 * publishes a key's whole record (so the latest one is complete) whenever it changed: a scope new to the key, or a
 * scope's last-used day advanced, so at most once per key, scope and UTC day; the alerts API keeps the latest per
 * key for the least-privilege report. Only registered keys (not canaries) have one.
 *
 * <p>Scopes come from events, so from callers: only scopes that pass the event contract are counted (never a redacted
 * one), at most {@link #MAX_SCOPES} per key; past that the record says {@code truncated} and keeps the most recently
 * used; a scope new on a day when every kept scope was already used that day is not taken in.
 *
 * @param firstSeen the UTC day keywatch first saw this key use a scope (how far back "not used" can be claimed)
 * @param lastUsed  scope to the last UTC day an event of this key carried it
 * @param truncated true when the key used more than {@link #MAX_SCOPES} scopes and some were dropped
 */
public record KeyScopeUsage(String keyId, LocalDate firstSeen, Map<String, LocalDate> lastUsed, boolean truncated) {

    public static final int MAX_SCOPES = 64;

    public KeyScopeUsage {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(firstSeen, "firstSeen");
        lastUsed = lastUsed == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(lastUsed));
        if (lastUsed.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("at most " + MAX_SCOPES + " scopes per key");
        }
    }
}
