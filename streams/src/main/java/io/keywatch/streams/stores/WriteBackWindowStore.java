package io.keywatch.streams.stores;

import java.time.Instant;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A window store of live objects in front of a logged window store; see {@link WriteBackStore}. It keeps one window
 * per key, the newest it has seen (the open one, where the writes go); older windows are read from and written to
 * the inner store directly.
 */
public final class WriteBackWindowStore<K, V> extends WriteBackStore<K, V, WindowStore<K, V>>
        implements WindowStore<K, V> {

    WriteBackWindowStore(WindowStore<K, V> inner, int capacity) {
        super(inner, capacity);
    }

    @Override
    protected void writeThrough(K key, V value, long windowStart) {
        inner.put(key, value, windowStart);
    }

    @Override
    public V fetch(K key, long windowStart) {
        if (!owned()) {
            return inner.fetch(key, windowStart);
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot != null && slot.time == windowStart) {
            return slot.value;
        }
        V value = inner.fetch(key, windowStart);
        if (value != null && (slot == null || windowStart > slot.time)) {
            if (slot != null) {
                cache.writeBack(key, slot);
            }
            cache.put(key, windowStart, value, false);
        }
        return value;
    }

    @Override
    public void put(K key, V value, long windowStart) {
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot != null && windowStart < slot.time) {
            inner.put(key, value, windowStart);
            return;
        }
        if (slot != null && windowStart > slot.time) {
            cache.writeBack(key, slot);
            slot = null;
        }
        if (value == null) {
            cache.remove(key);
            inner.put(key, null, windowStart);
        } else if (slot == null) {
            cache.put(key, windowStart, value, true);
        } else {
            slot.value = value;
            cache.markDirty(key, slot);
        }
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.fetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.backwardFetch(key, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        writeBackIfOwned();
        return inner.all();
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        writeBackIfOwned();
        return inner.backwardAll();
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.fetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo) {
        writeBackIfOwned();
        return inner.backwardFetchAll(timeFrom, timeTo);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return inner.backwardFetchAll(timeFrom, timeTo);
    }
}
