package io.keywatch.streams.stores;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The builders of the topology's per-key stores, of the configured {@link StoreKind}: keywatch's object stores
 * ({@link ObjectStores}) or Kafka Streams' own, cached. Either way the processors see a plain key-value or window
 * store, and write back what they change with {@code put}.
 */
public final class TopologyStores {

    private final StoreKind kind;

    public TopologyStores(StoreKind kind) {
        this.kind = kind;
    }

    public StoreKind kind() {
        return kind;
    }

    /** A task's key-value store; {@code capacity} keys' values stay objects in the object kind. */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> keyValue(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde,
                                                             Serde<V> valueSerde, int capacity) {
        return kind == StoreKind.OBJECT
                ? ObjectStores.writeBackKeyValueStore(supplier, keySerde, valueSerde, capacity)
                : Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde).withCachingEnabled();
    }

    /** A task's window store; {@code capacity} keys' newest windows stay objects in the object kind. */
    public <K, V> StoreBuilder<WindowStore<K, V>> window(WindowBytesStoreSupplier supplier, Serde<K> keySerde,
                                                         Serde<V> valueSerde, int capacity) {
        return kind == StoreKind.OBJECT
                ? ObjectStores.writeBackWindowStore(supplier, keySerde, valueSerde, capacity)
                : Stores.windowStoreBuilder(supplier, keySerde, valueSerde).withCachingEnabled();
    }

    /** A global store, read by every task; {@code capacity} keys' values stay objects in the object kind. */
    public <K, V> StoreBuilder<KeyValueStore<K, V>> global(KeyValueBytesStoreSupplier supplier, Serde<K> keySerde,
                                                           Serde<V> valueSerde, int capacity) {
        return kind == StoreKind.OBJECT
                ? ObjectStores.readCachedKeyValueStore(supplier, keySerde, valueSerde, capacity)
                : Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde).withCachingEnabled();
    }
}
