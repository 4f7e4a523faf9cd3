package io.keywatch.streams.stores;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A global store's values kept as objects for the stream threads, which read one per event: a hash look-up instead
 * of a RocksDB read and a deserialization. Its one writer, the global thread, writes to the inner store and then
 * drops the key's object; readers load a missing object from the inner store inside the map's per-key lock, so a
 * read racing with a write can never leave the old value cached (the drop waits for the load, or the load sees the
 * new value). Bounded: beyond {@code capacity} keys, misses read the inner store without caching. Values are shared
 * between threads and must not be changed.
 */
public final class ReadCachedKeyValueStore<K, V> extends StoreInFront<KeyValueStore<K, V>>
        implements KeyValueStore<K, V> {

    /** Caches "the inner store has no value", so unknown keys are not read from RocksDB every time either. */
    private static final Object ABSENT = new Object();

    private final int capacity;
    private final ConcurrentHashMap<K, Object> cache = new ConcurrentHashMap<>();

    ReadCachedKeyValueStore(KeyValueStore<K, V> inner, int capacity) {
        super(inner);
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be greater than 0, got " + capacity);
        }
        this.capacity = capacity;
    }

    @Override
    public V get(K key) {
        Object cached = cache.get(key);
        if (cached == null) {
            if (cache.size() >= capacity) {
                return inner.get(key);
            }
            cached = cache.computeIfAbsent(key, k -> {
                V value = inner.get(k);
                return value == null ? ABSENT : value;
            });
        }
        return unwrap(cached);
    }

    @SuppressWarnings("unchecked")
    private V unwrap(Object cached) {
        return cached == ABSENT ? null : (V) cached;
    }

    @Override
    public void put(K key, V value) {
        inner.put(key, value);
        cache.remove(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V previous = inner.putIfAbsent(key, value);
        cache.remove(key);
        return previous;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        inner.putAll(entries);
        entries.forEach(entry -> cache.remove(entry.key));
    }

    @Override
    public V delete(K key) {
        V previous = inner.delete(key);
        cache.remove(key);
        return previous;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    protected void forget() {
        // a global store is re-initialized (and restored again) after its topic was reset: forget the old objects
        cache.clear();
    }
}
