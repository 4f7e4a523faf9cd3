package io.keywatch.streams.stores;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Caps the off-heap memory of every RocksDB store of the process: one block cache shared by all stores, with the
 * memtables counted against it, instead of Kafka Streams' default of a block cache and memtables per store instance
 * (about 20 instances for keywatch's 3 tasks and the global store, each growing on its own: 1.0–1.3 GiB resident with
 * a million keys). Opt-in, as Kafka Streams' documentation describes it:
 * {@code KEYWATCH_STREAMS_CONFIG_ROCKSDB_CONFIG_SETTER=io.keywatch.streams.stores.BoundedRocksDbMemory}, with the
 * total in {@code KEYWATCH_STREAMS_CONFIG_KEYWATCH_ROCKSDB_MEMORY_MB} (default {@value #DEFAULT_MB}).
 *
 * <p>The cache is static because Kafka Streams makes one setter per store and the point is that they share it; the
 * first store's configuration sizes it for the life of the process.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

    /** The streams config entry with the total in MiB. */
    public static final String MEMORY_MB_CONFIG = "keywatch.rocksdb.memory.mb";
    static final int DEFAULT_MB = 128;
    /** Memtables may take up to this share of the total; index and filter blocks go to the high-priority pool. */
    private static final double MEMTABLE_SHARE = 0.25;
    private static final double HIGH_PRIORITY_SHARE = 0.1;

    private static Shared shared;

    /** The process's cache and write-buffer manager, made once (never closed: they live as long as the stores). */
    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }

    private static synchronized Shared shared(Map<String, Object> configs) {
        if (shared == null) {
            long bytes = (long) megabytes(configs.get(MEMORY_MB_CONFIG)) << 20;
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_SHARE);
            shared = new Shared(cache, new WriteBufferManager((long) (bytes * MEMTABLE_SHARE), cache));
        }
        return shared;
    }

    static int megabytes(Object value) {
        if (value == null) {
            return DEFAULT_MB;
        }
        int mb;
        try {
            mb = Integer.parseInt(value.toString().strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(MEMORY_MB_CONFIG + " must be a whole number of MiB", e);
        }
        if (mb < 16 || mb > 1 << 20) {
            throw new IllegalArgumentException(MEMORY_MB_CONFIG + " must be between 16 and 1048576 MiB, got " + mb);
        }
        return mb;
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared memory = shared(configs);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(memory.cache());
        // index and filter blocks inside the bound too, kept ahead of data blocks
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(memory.writeBuffers());
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // the shared cache and write-buffer manager outlive any one store
    }
}
