package io.keywatch.streams.scopes;

import io.keywatch.events.KeyScopeUsage;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** How one use of a scope changes a key's {@link KeyScopeUsage}: a pure function, so it is tested on its own. */
public final class ScopeUses {

    private ScopeUses() {
    }

    /**
     * The registered scopes the record always keeps: the registry's list, distinct, at most
     * {@link KeyScopeUsage#MAX_REGISTERED_SCOPES} (the registry refuses more; past that the rest count as unregistered).
     */
    public static Set<String> tracked(List<String> registeredScopes) {
        Set<String> tracked = new LinkedHashSet<>();
        if (registeredScopes != null) {
            for (String scope : registeredScopes) {
                if (tracked.size() == KeyScopeUsage.MAX_REGISTERED_SCOPES) {
                    break;
                }
                tracked.add(scope);
            }
        }
        return tracked;
    }

    /**
     * The key's usage after {@code scope} was used on {@code day}, or {@code current} itself when that changes
     * nothing (the scope was already used that day or later, and the first-seen day stays). A registered scope is
     * always taken in; an unregistered one only into the room of {@link KeyScopeUsage#MAX_UNREGISTERED_SCOPES}: when
     * that is full the least recently used unregistered scope is dropped (ties: the first by name) and the result says
     * {@code truncated}, and the new scope is not taken in when every kept unregistered scope was used on its day or
     * later. So made-up scopes never displace a registered one, and however many a hostile publisher sends for one
     * key, its record changes (and is published) at most {@code MAX_UNREGISTERED_SCOPES + 1} times a day for them.
     *
     * @param current    the key's usage so far, or null for a key not seen yet
     * @param registered the key's registered scopes ({@link #tracked})
     */
    public static KeyScopeUsage withUse(KeyScopeUsage current, String keyId, String scope, LocalDate day,
                                        Set<String> registered) {
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
        if (last == null) {
            boolean isRegistered = registered.contains(scope);
            List<String> unregistered = lastUsed.keySet().stream().filter(s -> !registered.contains(s)).toList();
            // a new registered scope needs room only when the registry changed (scopes once registered now count
            // as unregistered); a new unregistered one needs room in its own part
            boolean full = isRegistered ? lastUsed.size() >= KeyScopeUsage.MAX_SCOPES
                    : unregistered.size() >= KeyScopeUsage.MAX_UNREGISTERED_SCOPES;
            if (full) {
                String oldest = leastRecentlyUsed(unregistered, lastUsed);
                if (!isRegistered && !lastUsed.get(oldest).isBefore(day)) {
                    return truncated && firstSeen.equals(current.firstSeen()) ? current
                            : new KeyScopeUsage(keyId, firstSeen, current.lastUsed(), true);
                }
                lastUsed.remove(oldest);
                truncated = true;
            }
        }
        lastUsed.put(scope, day);
        return new KeyScopeUsage(keyId, firstSeen, lastUsed, truncated);
    }

    private static String leastRecentlyUsed(List<String> candidates, Map<String, LocalDate> lastUsed) {
        String oldest = null;
        LocalDate oldestDay = null;
        for (String scope : candidates) {
            LocalDate day = lastUsed.get(scope);
            int byDay = oldestDay == null ? -1 : day.compareTo(oldestDay);
            if (byDay < 0 || (byDay == 0 && scope.compareTo(oldest) < 0)) {
                oldest = scope;
                oldestDay = day;
            }
        }
        return oldest;
    }
}
