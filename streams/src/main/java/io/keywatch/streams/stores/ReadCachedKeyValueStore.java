package io.keywatch.streams.stores;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
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
public final class ReadCachedKeyValueStore<K, V> implements KeyValueStore<K, V> {

    /** Caches "the inner store has no value", so unknown keys are not read from RocksDB every time either. */
    private static final Object ABSENT = new Object();

    private final KeyValueStore<K, V> inner;
    private final int capacity;
    private final ConcurrentHashMap<K, Object> cache = new ConcurrentHashMap<>();

    ReadCachedKeyValueStore(KeyValueStore<K, V> inner, int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be greater than 0, got " + capacity);
        }
        this.inner = inner;
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
    public void init(StateStoreContext context, StateStore root) {
        // a global store is re-initialized (and restored again) after its topic was reset: forget the old objects
        cache.clear();
        inner.init(context, root);
    }

    @Override
    public void close() {
        cache.clear();
        inner.close();
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        inner.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public boolean managesOffsets() {
        return inner.managesOffsets();
    }

    @Override
    public long approximateNumUncommittedBytes() {
        return inner.approximateNumUncommittedBytes();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return inner.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return inner.getPosition();
    }
}
