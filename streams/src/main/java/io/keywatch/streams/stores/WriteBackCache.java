package io.keywatch.streams.stores;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The slots of a write-back store: at most {@code capacity}, least recently used first, and the slots used since the
 * last commit. A slot holds its value's bytes as last written or read and, while it is in use, the value as an object;
 * at the commit the changed objects are written back and every object is dropped, leaving the bytes. Beyond its
 * capacity the eldest slot is written back (when changed) and dropped. Not thread-safe: only the stream thread that
 * owns the task touches it.
 */
final class WriteBackCache<K, V> {

    /** One key's value; {@code time} is the window start for window stores. */
    static final class Slot<V> {
        final long time;
        /** The serialized value as the inner store has it; null until a new value is first written back. */
        byte[] bytes;
        /** The value as an object while in use since the last commit, else null. */
        V value;
        /** True when {@link #value} changed since {@link #bytes}. */
        boolean dirty;
        boolean listed;

        Slot(long time, byte[] bytes) {
            this.time = time;
            this.bytes = bytes;
        }
    }

    /** Writes a changed slot's value to the inner store, setting its bytes. */
    @FunctionalInterface
    interface Writer<K, V> {
        void write(K key, Slot<V> slot);
    }

    private final Writer<K, V> writer;
    private final LinkedHashMap<K, Slot<V>> slots;
    // the slots used since the last commit, in the order of first use; written back (if changed) and emptied then
    private final List<K> usedKeys = new ArrayList<>();
    private final List<Slot<V>> usedSlots = new ArrayList<>();

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

    /** Makes a slot for the key (bytes as the inner store has them, or null), replacing any it had unwritten. */
    Slot<V> add(K key, long time, byte[] bytes) {
        Slot<V> slot = new Slot<>(time, bytes);
        Slot<V> previous = slots.put(key, slot);
        if (previous != null) {
            previous.dirty = false;
        }
        return slot;
    }

    /** Notes that the slot's object is in use: it is dropped at the next commit. */
    void use(K key, Slot<V> slot) {
        if (!slot.listed) {
            slot.listed = true;
            usedKeys.add(key);
            usedSlots.add(slot);
        }
    }

    /** Sets the slot's object to a changed value, to be written back at the next commit. */
    void change(K key, Slot<V> slot, V value) {
        slot.value = value;
        slot.dirty = true;
        use(key, slot);
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
            writer.write(key, slot);
        }
    }

    /** At a commit: writes every changed slot back, in the order of first use, and drops every object. */
    void writeBackAll() {
        for (int i = 0; i < usedSlots.size(); i++) {
            Slot<V> slot = usedSlots.get(i);
            writeBack(usedKeys.get(i), slot);
            slot.value = null;
            slot.listed = false;
        }
        usedKeys.clear();
        usedSlots.clear();
    }

    /** Forgets everything, written back or not. */
    void clear() {
        slots.clear();
        usedKeys.clear();
        usedSlots.clear();
    }

    int size() {
        return slots.size();
    }
}
