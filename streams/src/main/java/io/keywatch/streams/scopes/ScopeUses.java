package io.keywatch.streams.scopes;

import io.keywatch.events.KeyScopeUsage;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/** How one use of a scope changes a key's {@link KeyScopeUsage}: a pure function, so it is tested on its own. */
public final class ScopeUses {

    private ScopeUses() {
    }

    /**
     * The key's usage after {@code scope} was used on {@code day}, or {@code current} itself when that changes
     * nothing (the scope was already used that day or later, and the first-seen day stays). Past
     * {@link KeyScopeUsage#MAX_SCOPES} the least recently used scope is dropped (ties: the first by name) and the
     * result says {@code truncated}.
     *
     * @param current the key's usage so far, or null for a key not seen yet
     */
    public static KeyScopeUsage withUse(KeyScopeUsage current, String keyId, String scope, LocalDate day) {
        if (current == null) {
            return new KeyScopeUsage(keyId, day, Map.of(scope, day), false);
        }
        LocalDate firstSeen = day.isBefore(current.firstSeen()) ? day : current.firstSeen();
        LocalDate last = current.lastUsed().get(scope);
        if (last != null && !day.isAfter(last)) {
            return firstSeen.equals(current.firstSeen()) ? current
                    : new KeyScopeUsage(keyId, firstSeen, current.lastUsed(), current.truncated());
        }
        Map<String, LocalDate> lastUsed = new HashMap<>(current.lastUsed());
        lastUsed.put(scope, day);
        boolean truncated = current.truncated();
        if (lastUsed.size() > KeyScopeUsage.MAX_SCOPES) {
            lastUsed.remove(leastRecentlyUsed(lastUsed));
            truncated = true;
        }
        return new KeyScopeUsage(keyId, firstSeen, lastUsed, truncated);
    }

    private static String leastRecentlyUsed(Map<String, LocalDate> lastUsed) {
        String oldest = null;
        LocalDate oldestDay = null;
        for (Map.Entry<String, LocalDate> entry : lastUsed.entrySet()) {
            int byDay = oldestDay == null ? -1 : entry.getValue().compareTo(oldestDay);
            if (byDay < 0 || (byDay == 0 && entry.getKey().compareTo(oldest) < 0)) {
                oldest = entry.getKey();
                oldestDay = entry.getValue();
            }
        }
        return oldest;
    }
}
