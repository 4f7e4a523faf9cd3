package io.keywatch.streams.detect;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The busy registered keys of one task (those VOLUME_DROP watches; made-up key ids are never added, so they cannot
 * evict real ones) and the last minute each was seen in, so that a key that stops entirely, and so sends no event
 * that could show it, is still noticed by a stream-time check. In memory only:
 * after a restart a key is watched again from its first event (a key that stopped while keywatch was down is only
 * seen when its next event shows the gap). Bounded: beyond {@link #MAX_KEYS} the least recently seen key is dropped.
 */
final class BusyKeys {

    static final int MAX_KEYS = 100_000;

    private final LinkedHashMap<String, Long> lastMinute = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_KEYS;
        }
    };

    void seen(String keyId, long minuteStart) {
        lastMinute.put(keyId, minuteStart);
    }

    void forget(String keyId) {
        lastMinute.remove(keyId);
    }

    void clear() {
        lastMinute.clear();
    }

    int size() {
        return lastMinute.size();
    }

    /**
     * Removes and returns the keys last seen at or before {@code minuteStart} (key, last minute). Walks from the least
     * recently seen and stops at the first key seen later: minutes open in about stream-time order, so the check costs
     * the silent keys, not every busy one.
     */
    List<Map.Entry<String, Long>> takeSilentSince(long minuteStart) {
        List<Map.Entry<String, Long>> silent = new ArrayList<>();
        Iterator<Map.Entry<String, Long>> entries = lastMinute.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Long> entry = entries.next();
            if (entry.getValue() > minuteStart) {
                break;
            }
            silent.add(Map.entry(entry.getKey(), entry.getValue()));
            entries.remove();
        }
        return silent;
    }
}
