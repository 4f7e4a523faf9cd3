package io.keywatch.streams.stores;

import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** A key-value store of live objects in front of a logged key-value store; see {@link WriteBackStore}. */
public final class WriteBackKeyValueStore<K, V> extends WriteBackStore<K, V, KeyValueStore<K, V>>
        implements KeyValueStore<K, V> {

    WriteBackKeyValueStore(KeyValueStore<K, V> inner, int capacity) {
        super(inner, capacity);
    }

    @Override
    protected void writeThrough(K key, V value, long time) {
        inner.put(key, value);
    }

    @Override
    public V get(K key) {
        if (!owned()) {
            return inner.get(key);
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot != null) {
            return slot.value;
        }
        V value = inner.get(key);
        if (value != null) {
            cache.put(key, 0, value, false);
        }
        return value;
    }

    @Override
    public void put(K key, V value) {
        if (value == null) {
            delete(key);
            return;
        }
        WriteBackCache.Slot<V> slot = cache.get(key);
        if (slot == null) {
            cache.put(key, 0, value, true);
        } else {
            slot.value = value;
            cache.markDirty(key, slot);
        }
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
        WriteBackCache.Slot<V> slot = cache.remove(key);
        V old = inner.delete(key);
        return slot != null ? slot.value : old;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        writeBackIfOwned();
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> reverseRange(K from, K to) {
        writeBackIfOwned();
        return inner.reverseRange(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        writeBackIfOwned();
        return inner.all();
    }

    @Override
    public KeyValueIterator<K, V> reverseAll() {
        writeBackIfOwned();
        return inner.reverseAll();
    }

    @Override
    public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
        writeBackIfOwned();
        return inner.prefixScan(prefix, prefixKeySerializer);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }
}
