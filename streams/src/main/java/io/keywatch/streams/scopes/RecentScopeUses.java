package io.keywatch.streams.scopes;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per task, in memory: the (key, scope) pairs already recorded for a UTC day, so that the usual event, whose scope
 * its key already used today, costs one hash lookup and no store read. Bounded: past its capacity the least recently
 * looked-up pair is forgotten (its next event reads the store once again). Scopes the store refused are not
 * remembered per pair (a flood of made-up scopes would push the legitimate pairs out): one "no room for unregistered
 * scopes on day D" marker per key answers them all. Only a cache of what the store says: it must be cleared whenever
 * the store may have been rewound (a task's re-initialisation).
 */
final class RecentScopeUses {

    private record Use(String keyId, String scope) {
    }

    private final Map<Use, Long> days;
    private final Map<String, Long> fullDays;

    RecentScopeUses(int capacity) {
        this.days = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Use, Long> eldest) {
                return size() > capacity;
            }
        };
        this.fullDays = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
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

    /** True when the store had no room for a new unregistered scope of this key on {@code epochDay}. */
    boolean full(String keyId, long epochDay) {
        Long day = fullDays.get(keyId);
        return day != null && day >= epochDay;
    }

    void rememberFull(String keyId, long epochDay) {
        fullDays.merge(keyId, epochDay, Math::max);
    }

    void clear() {
        days.clear();
        fullDays.clear();
    }

    int size() {
        return days.size();
    }
}
