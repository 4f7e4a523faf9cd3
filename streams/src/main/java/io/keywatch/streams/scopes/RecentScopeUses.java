package io.keywatch.streams.scopes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per task, in memory: the (key, scope) pairs already recorded for a UTC day, so that the usual event, whose scope
 * its key already used today, costs one hash lookup and no store read. Bounded: past its capacity the least recently
 * looked-up pair is forgotten (its next event reads the store once again). Only a cache of what the store says: it
 * must be cleared whenever the store may have been rewound (a task's re-initialisation).
 */
final class RecentScopeUses {

    private record Use(String keyId, String scope) {
    }

    private final Map<Use, Long> days;

    RecentScopeUses(int capacity) {
        this.days = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Use, Long> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True when the store already has the scope used on {@code epochDay} or later for this key. */
    boolean covers(String keyId, String scope, long epochDay) {
        Long day = days.get(new Use(keyId, scope));
        return day != null && day >= epochDay;
    }

    void remember(String keyId, String scope, long epochDay) {
        days.merge(new Use(keyId, scope), epochDay, Math::max);
    }

    void clear() {
        days.clear();
    }

    int size() {
        return days.size();
    }
}
