package io.keywatch.streams.stores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live values of a write-back store: at most {@code capacity} slots, least recently used first, and the slots
 * changed since the last write-back. Beyond its capacity the eldest slot is written back (when dirty) and dropped.
 * Not thread-safe: only the stream thread that owns the task touches it.
 */
final class WriteBackCache<K, V> {

    /** One cached value; {@code time} is the window start for window stores. */
    static final class Slot<V> {
        final long time;
        V value;
        boolean dirty;

        Slot(long time, V value) {
            this.time = time;
            this.value = value;
        }
    }

    /** Writes a dirty slot's value to the backing store. */
    @FunctionalInterface
    interface Writer<K, V> {
        void write(K key, V value, long time);
    }

    private final Writer<K, V> writer;
    private final LinkedHashMap<K, Slot<V>> slots;
    // changed slots in the order they changed; a slot written back or dropped since is no longer dirty and skipped
    private final List<K> dirtyKeys = new ArrayList<>();
    private final List<Slot<V>> dirtySlots = new ArrayList<>();

    WriteBackCache(int capacity, Writer<K, V> writer) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be greater than 0, got " + capacity);
        }
        this.writer = writer;
        this.slots = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, Slot<V>> eldest) {
                if (size() <= capacity) {
                    return false;
                }
                writeBack(eldest.getKey(), eldest.getValue());
                return true;
            }
        };
    }

    /** The key's slot, or null; counts as a use. */
    Slot<V> get(K key) {
        return slots.get(key);
    }

    /** Caches a value as the key's slot, replacing (without writing back) any slot it had. */
    Slot<V> put(K key, long time, V value, boolean dirty) {
        Slot<V> slot = new Slot<>(time, value);
        Slot<V> previous = slots.put(key, slot);
        if (previous != null) {
            previous.dirty = false;
        }
        if (dirty) {
            markDirty(key, slot);
        }
        return slot;
    }

    void markDirty(K key, Slot<V> slot) {
        if (!slot.dirty) {
            slot.dirty = true;
            dirtyKeys.add(key);
            dirtySlots.add(slot);
        }
    }

    /** Drops the key's slot without writing it back; returns it, or null. */
    Slot<V> remove(K key) {
        Slot<V> slot = slots.remove(key);
        if (slot != null) {
            slot.dirty = false;
        }
        return slot;
    }

    void writeBack(K key, Slot<V> slot) {
        if (slot.dirty) {
            slot.dirty = false;
            writer.write(key, slot.value, slot.time);
        }
    }

    /** Writes every changed slot back, in the order they first changed. */
    void writeBackAll() {
        for (int i = 0; i < dirtySlots.size(); i++) {
            writeBack(dirtyKeys.get(i), dirtySlots.get(i));
        }
        dirtyKeys.clear();
        dirtySlots.clear();
    }

    /** Forgets everything, written back or not. */
    void clear() {
        slots.clear();
        dirtyKeys.clear();
        dirtySlots.clear();
    }

    int size() {
        return slots.size();
    }
}
