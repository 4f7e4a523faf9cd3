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
     * result says {@code truncated}; a new scope is not taken in when every kept scope was used on its day or later
     * (it would be the least recent itself). So however many made-up scopes a hostile publisher sends for one key,
     * its record changes (and is published) at most {@code MAX_SCOPES + 1} times a day.
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
        boolean truncated = current.truncated();
        if (last == null && lastUsed.size() >= KeyScopeUsage.MAX_SCOPES) {
            String oldest = leastRecentlyUsed(lastUsed);
            if (!lastUsed.get(oldest).isBefore(day)) {
                return truncated && firstSeen.equals(current.firstSeen()) ? current
                        : new KeyScopeUsage(keyId, firstSeen, current.lastUsed(), true);
            }
            lastUsed.remove(oldest);
            truncated = true;
        }
        lastUsed.put(scope, day);
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
