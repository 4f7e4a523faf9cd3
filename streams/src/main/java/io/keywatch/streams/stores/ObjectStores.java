package io.keywatch.streams.stores;

import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.KeyValueStoreBuilder;
import org.apache.kafka.streams.state.internals.WindowStoreBuilder;

/**
 * Builders of the stores that keep values as objects: {@link WriteBackStore}s for a task's own state and
 * {@link ReadCachedKeyValueStore} for a global store. They extend Kafka Streams' own builders, so the inner store is
 * what {@code Stores.keyValueStoreBuilder}/{@code windowStoreBuilder} would build (metered, logged unless disabled,
 * without the record cache) and the topology treats the store as what it is: a window store's changelog gets the
 * windowed {@code compact,delete} policy and retention.
 */
public final class ObjectStores {

    private ObjectStores() {
    }

    /** @param capacity the most keys whose values are kept, per task */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> writeBackKeyValueStore(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, int capacity) {
        // the builder's own type is that of its inner store, which holds bytes; what the topology gets is typed
        return (StoreBuilder) new KeyValueBuilder<K, byte[]>(supplier, keySerde, Serdes.ByteArray(),
                inner -> (KeyValueStore) new WriteBackKeyValueStore<>(inner, valueSerde, capacity));
    }

    /** @param capacity the most keys whose newest window is kept, per task */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static <K, V> StoreBuilder<WindowStore<K, V>> writeBackWindowStore(
            WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, int capacity) {
        return (StoreBuilder) new WindowBuilder<>(supplier, keySerde, valueSerde, capacity);
    }

    /** @param capacity the most keys whose values are kept as objects, for all threads together */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> readCachedKeyValueStore(
            KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, int capacity) {
        return new KeyValueBuilder<>(supplier, keySerde, valueSerde,
                inner -> new ReadCachedKeyValueStore<>(inner, capacity));
    }

    private static UnsupportedOperationException noRecordCache() {
        return new UnsupportedOperationException("this store keeps its values as objects; "
                + "the record cache would only add a copy");
    }

    private static final class KeyValueBuilder<K, V> extends KeyValueStoreBuilder<K, V> {
        private final Function<KeyValueStore<K, V>, KeyValueStore<K, V>> wrapper;

        KeyValueBuilder(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde,
                        Function<KeyValueStore<K, V>, KeyValueStore<K, V>> wrapper) {
            super(supplier, keySerde, valueSerde, Time.SYSTEM);
            this.wrapper = wrapper;
        }

        @Override
        public KeyValueStore<K, V> build() {
            return wrapper.apply(super.build());
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            throw noRecordCache();
        }
    }

    /** Builds the inner window store of bytes and puts the write-back store in front of it. */
    private static final class WindowBuilder<K, V> extends WindowStoreBuilder<K, byte[]> {
        private final Serde<V> valueSerde;
        private final int capacity;

        WindowBuilder(WindowBytesStoreSupplier supplier, Serde<K> keySerde, Serde<V> valueSerde, int capacity) {
            super(supplier, keySerde, Serdes.ByteArray(), Time.SYSTEM);
            this.valueSerde = valueSerde;
            this.capacity = capacity;
        }

        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public WindowStore<K, byte[]> build() {
            return (WindowStore) new WriteBackWindowStore<>(super.build(), valueSerde, capacity);
        }

        @Override
        public StoreBuilder<WindowStore<K, byte[]>> withCachingEnabled() {
            throw noRecordCache();
        }
    }
}
