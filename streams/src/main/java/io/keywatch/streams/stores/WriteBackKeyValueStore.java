package io.keywatch.streams.stores;

import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A key-value store of objects in front of a logged key-value store of bytes; see {@link WriteBackStore}. */
public final class WriteBackKeyValueStore<K, V> extends WriteBackStore<K, V, KeyValueStore<K, byte[]>>
        implements KeyValueStore<K, V> {

    WriteBackKeyValueStore(KeyValueStore<K, byte[]> inner, Serde<V> serde, int capacity) {
        super(inner, serde, capacity);
    }

    @Override
    protected void writeThrough(K key, byte[] value, long time) {
        inner.put(key, value);
    }

    @Override
    public V get(K key) {
        if (!owned()) {
            return decode(inner.get(key));
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot == null) {
            byte[] bytes = inner.get(key);
            if (bytes == null) {
                return null;
            }
            slot = cache.add(key, 0, bytes);
        }
        return materialize(key, slot);
    }

    @Override
    public void put(K key, V value) {
        claim();
        if (value == null) {
            delete(key);
            return;
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot == null) {
            slot = cache.add(key, 0, null);
        }
        cache.change(key, slot, value);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V current = get(key);
        if (current == null) {
            put(key, value);
        }
        return current;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        for (KeyValue<K, V> entry : entries) {
            put(entry.key, entry.value);
        }
    }

    @Override
    public V delete(K key) {
        claim();
        WriteBackCache.Slot<V> slot = cache.remove(key);
        byte[] stored = inner.delete(key);
        if (slot == null) {
            return decode(stored);
        }
        // a changed slot's object is newer than what the inner store had
        return slot.value != null ? slot.value : decode(slot.bytes);
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.range(from, to), this::decode);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.reverseRange(from, to), this::decode);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.all(), this::decode);
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.reverseAll(), this::decode);
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeBackIfOwned();
        return new DecodingIterator<>(inner.prefixScan(prefix, prefixKeySerializer), this::decode);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }
}
