package io.keywatch.streams.stores;

import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WithRetentionPeriod;

/**
 * A window store of objects in front of a logged window store of bytes; see {@link WriteBackStore}. It keeps one
 * window per key, the newest it has seen (the open one, where the writes go); older windows are read from and
 * written to the inner store directly.
 */
public final class WriteBackWindowStore<K, V> extends WriteBackStore<K, V, WindowStore<K, byte[]>>
        implements WindowStore<K, V>, WithRetentionPeriod {

    WriteBackWindowStore(WindowStore<K, byte[]> inner, Serde<V> serde, int capacity) {
        super(inner, serde, capacity);
    }

    /** The inner store's: restoring the changelog skips the records that have expired. */
    @Override
    public long retentionPeriod() {
        return WithRetentionPeriod.resolveRetentionPeriod(inner);
    }

    @Override
    protected void writeThrough(K key, byte[] value, long windowStart) {
        inner.put(key, value, windowStart);
    }

    @Override
    public V fetch(K key, long windowStart) {
        if (!owned()) {
            return decode(inner.fetch(key, windowStart));
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot != null && slot.time == windowStart) {
            return materialize(key, slot);
        }
        byte[] bytes = inner.fetch(key, windowStart);
        if (bytes == null) {
            return null;
        }
        if (slot != null && windowStart < slot.time) {
            return decode(bytes);
        }
        if (slot != null) {
            cache.writeBack(key, slot);
        }
        return materialize(key, cache.add(key, windowStart, bytes));
    }

    @Override
    public void put(K key, V value, long windowStart) {
        claim();
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot != null && windowStart < slot.time) {
            inner.put(key, encode(value), windowStart);
            return;
        }
        if (slot != null && windowStart > slot.time) {
            cache.writeBack(key, slot);
            slot = null;
        }
        if (value == null) {
            cache.remove(key);
            inner.put(key, null, windowStart);
            return;
        }
        if (slot == null) {
            slot = cache.add(key, windowStart, null);
        }
        cache.change(key, slot, value);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return DecodingIterator.ofWindows(inner.fetch(key, timeFrom, timeTo), this::decode);
    }

    @Override
    public WindowStoreIterator<V> fetch(K key, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return DecodingIterator.ofWindows(inner.fetch(key, timeFrom, timeTo), this::decode);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return DecodingIterator.ofWindows(inner.backwardFetch(key, timeFrom, timeTo), this::decode);
    }

    @Override
    public WindowStoreIterator<V> backwardFetch(K key, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return DecodingIterator.ofWindows(inner.backwardFetch(key, timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.fetch(keyFrom, keyTo, timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.fetch(keyFrom, keyTo, timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, long timeFrom, long timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo, Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> all() {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.all(), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardAll() {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.backwardAll(), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(long timeFrom, long timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.fetchAll(timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetchAll(Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.fetchAll(timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(long timeFrom, long timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.backwardFetchAll(timeFrom, timeTo), this::decode);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetchAll(Instant timeFrom, Instant timeTo) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.backwardFetchAll(timeFrom, timeTo), this::decode);
    }
}
