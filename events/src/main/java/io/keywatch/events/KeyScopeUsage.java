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
 * one). The key's <em>registered</em> scopes (at most {@link #MAX_REGISTERED_SCOPES}, the registry's own limit) are
 * always kept: no flood of made-up scopes can push one out. Scopes not registered (SCOPE_VIOLATION reports them) share
 * a small separate room of {@link #MAX_UNREGISTERED_SCOPES}: past that the least recently used unregistered one is
 * dropped and the record says {@code truncated}; a new one is not taken in on a day when every kept unregistered
 * scope was already used that day.
 *
 * @param firstSeen the UTC day keywatch first saw this key use a scope (how far back "not used" can be claimed)
 * @param lastUsed  scope to the last UTC day an event of this key carried it
 * @param truncated true when some scope, unregistered when it was dropped, was left out
 */
public record KeyScopeUsage(String keyId, LocalDate firstSeen, Map<String, LocalDate> lastUsed, boolean truncated) {

    /** As many scopes as a registry entry may list (the alerts API refuses more). */
    public static final int MAX_REGISTERED_SCOPES = 100;
    /** Room for scopes the key is not registered for: enough to name them, too small to matter. */
    public static final int MAX_UNREGISTERED_SCOPES = 16;
    public static final int MAX_SCOPES = MAX_REGISTERED_SCOPES + MAX_UNREGISTERED_SCOPES;

    public KeyScopeUsage {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(firstSeen, "firstSeen");
        lastUsed = lastUsed == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(lastUsed));
        if (lastUsed.size() > MAX_SCOPES) {
            throw new IllegalArgumentException("at most " + MAX_SCOPES + " scopes per key");
        }
    }

    /**
     * The latest day the record speaks of. It never goes back from one published record of a key to the next (days
     * only advance, and the topology drops only an unregistered scope no more recent than the day it takes in), so a
     * copy with an older newest day is an older record.
     */
    public LocalDate newestDay() {
        LocalDate newest = firstSeen;
        for (LocalDate day : lastUsed.values()) {
            if (day != null && day.isAfter(newest)) {
                newest = day;
            }
        }
        return newest;
    }
}
