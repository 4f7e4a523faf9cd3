package io.keywatch.streams.scopes;

import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.SecretFingerprinter;
import java.time.LocalDate;
import java.util.Set;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Remembers which scopes each registered key used, and on which UTC day last, in the key-scope-usage store (one
 * bounded {@link KeyScopeUsage} per key, changelogged). Called by the detection processor on every event, so kept off
 * the hot path: an event whose key already used its scope that UTC day is answered by a per-task in-memory set
 * ({@link RecentScopeUses}, as many pairs as the task keeps hot keys); the store is read at most once per key, scope
 * and day while that set remembers the pair, and written only when the usage changed (a scope new to the key, or its
 * last-used day advanced).
 *
 * <p>Counted: events that <em>used</em> a scope — the service accepted the key (auth {@code OK}, status absent or
 * below 400), with a scope that the redaction step left as it was (a scope that held a secret reads
 * {@code redacted:<format>}: not a scope anyone was granted). Only for keys registered (not canaries): the registry
 * bounds the store, so events for made-up key ids cannot grow it.
 */
public final class ScopeUsageRecorder {

    private static final long DAY_MS = 86_400_000L;

    private final RecentScopeUses recent;
    private KeyValueStore<String, KeyScopeUsage> store;

    /** @param recentUses how many (key, scope) pairs the task remembers as recorded for their day */
    public ScopeUsageRecorder(int recentUses) {
        this.recent = new RecentScopeUses(recentUses);
    }

    /** At the task's (re-)initialisation: the store may have been rewound, so nothing remembered holds any more. */
    public void init(KeyValueStore<String, KeyScopeUsage> store) {
        this.store = store;
        recent.clear();
    }

    /** At the task's close: a revived task starts from its store again. */
    public void close() {
        recent.clear();
    }

    /** True when the event used a scope: accepted by the service, with a scope that was not redacted. */
    public static boolean usedScope(UsageEvent event) {
        String scope = event.scope();
        return scope != null && !scope.isEmpty() && event.authResult() == AuthResult.OK
                && (event.status() == null || event.status() < 400)
                && !scope.contains(SecretFingerprinter.PREFIX);
    }

    /**
     * Records the event's scope use for its key.
     *
     * @param state the key's state from the registry, or null for a key keywatch does not know
     * @return the key's whole usage when this event changed it (to publish), otherwise null
     */
    public KeyScopeUsage record(UsageEvent event, KeyState state) {
        if (!usedScope(event) || state == null || !state.isRegistered() || state.metadata().canaryKey()) {
            return null;
        }
        String keyId = event.keyId();
        String scope = event.scope();
        long epochDay = Math.floorDiv(event.timestamp().toEpochMilli(), DAY_MS);
        if (recent.covers(keyId, scope, epochDay)) {
            return null;
        }
        Set<String> registered = ScopeUses.tracked(state.metadata().scopes());
        if (!registered.contains(scope) && recent.full(keyId, epochDay)) {
            return null;
        }
        KeyScopeUsage current = store.get(keyId);
        LocalDate day = LocalDate.ofEpochDay(epochDay);
        KeyScopeUsage updated = ScopeUses.withUse(current, keyId, scope, day, registered);
        if (updated != current) {
            store.put(keyId, updated);
        }
        LocalDate last = updated.lastUsed().get(scope);
        if (last == null) {
            // not taken in: the unregistered room is full for the day; one marker per key, not one per made-up scope
            recent.rememberFull(keyId, epochDay);
        } else {
            // the store now holds the scope on this day or a later one
            recent.remember(keyId, scope, Math.max(epochDay, last.toEpochDay()));
        }
        return updated != current ? updated : null;
    }

    /** How many (key, scope) pairs the task remembers now (for tests). */
    int remembered() {
        return recent.size();
    }
}
