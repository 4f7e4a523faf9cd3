package io.keywatch.streams.stores;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that keeps the values in use as objects and writes the changed ones, serialized, to a logged,
 * uncached store of bytes ({@code inner}, built by Kafka Streams' own builders) when the task commits.
 *
 * <p>Why: Kafka Streams' record cache holds serialized bytes in a sorted map; with many keys every read, write and
 * flush of a value is a chain of cache-missing key comparisons plus a (de)serialization. Here a read is a hash
 * look-up, and a value is deserialized at most once and serialized once per commit. Between commits a slot keeps
 * only the value's bytes: with many keys the next event for a key comes long after its objects have left the CPU
 * caches, and serializing a fresh object graph is several times faster than one scattered across the heap.
 *
 * <p>How it stays exactly-once: the store is a {@link CachedStateStore}, so the task calls {@link #flushCache()} when
 * it prepares a commit, before the producer commits the transaction; the changed values go through {@code inner}
 * (RocksDB and the changelog) at that point, in the same transaction as the input offsets they account for. A
 * dirty close (a crash, a fenced producer, a corrupted task) simply drops the slots, as it drops the record cache,
 * and the task restores {@code inner} from the changelog. The changelog holds the same bytes as before.
 *
 * <p>A value read from the store is the cached object until the next commit: a change to it must be put back to be
 * kept. An iteration (range, all) on the owning thread first writes the changes back, like a commit, so that it sees
 * them; objects read before it are detached then, and a put attaches them again. Only the stream thread that initialized the store uses the slots; other threads (interactive queries) read
 * {@code inner}, which is at most one commit interval behind. Interactive queries v2 are not supported (the inner
 * store's values are bytes).
 */
abstract class WriteBackStore<K, V, S extends StateStore> extends StoreInFront<S> implements CachedStateStore<K, V> {

    protected final WriteBackCache<K, V> cache;
    private final Serializer<V> serializer;
    private final Deserializer<V> deserializer;
    private volatile Thread owner;

    WriteBackStore(S inner, Serde<V> serde, int capacity) {
        super(inner);
        this.serializer = serde.serializer();
        this.deserializer = serde.deserializer();
        this.cache = new WriteBackCache<>(capacity, (key, slot) -> {
            slot.bytes = encode(slot.value);
            writeThrough(key, slot.bytes, slot.time);
        });
    }

    /** Writes one serialized value to the inner store. */
    protected abstract void writeThrough(K key, byte[] value, long time);

    /** The slot's value as an object, deserialized if it was not in use since the last commit. */
    protected final V materialize(K key, WriteBackCache.Slot<V> slot) {
        if (slot.value == null) {
            slot.value = decode(slot.bytes);
        }
        cache.use(key, slot);
        return slot.value;
    }

    protected final V decode(byte[] bytes) {
        return bytes == null ? null : deserializer.deserialize(name(), bytes);
    }

    protected final byte[] encode(V value) {
        return value == null ? null : serializer.serialize(name(), value);
    }

    /** True on the thread that owns the objects; interactive queries come from other threads. */
    protected final boolean owned() {
        return Thread.currentThread() == owner;
    }

    /**
     * Called by every write: the thread that writes owns the objects. Interactive queries only read, and a task is
     * written by one stream thread at a time, so this follows a task that another thread takes over without
     * initializing its stores again (a standby recycled into an active task).
     */
    protected final void claim() {
        Thread current = Thread.currentThread();
        if (owner != current) {
            owner = current;
        }
    }

    /** Before an iteration over the inner store: puts the changed values there first, so the iteration sees them. */
    protected final void writeBackIfOwned() {
        if (owned()) {
            cache.writeBackAll();
        }
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        claim();
        super.init(context, root);
    }

    @Override
    protected void forget() {
        // a clean close has written the changes back when it committed; a dirty one must not write anything
        cache.clear();
    }

    @Override
    public void flushCache() {
        claim();
        cache.writeBackAll();
    }

    @Override
    public void clearCache() {
        cache.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return QueryResult.forUnknownQueryType(query, this);
    }
}
