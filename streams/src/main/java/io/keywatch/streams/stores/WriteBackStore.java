package io.keywatch.streams.stores;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A state store that keeps its hot values as live objects and writes the changed ones to a logged, uncached store
 * ({@code inner}, built by Kafka Streams' own builders) when the task commits.
 *
 * <p>Why: Kafka Streams' record cache holds serialized bytes in a sorted map; with many keys every read, write and
 * flush of a value is a chain of cache-missing key comparisons plus a (de)serialization. Here a read is a hash
 * look-up and a value is serialized once per commit.
 *
 * <p>How it stays exactly-once: the store is a {@link CachedStateStore}, so the task calls {@link #flushCache()} when
 * it prepares a commit, before the producer commits the transaction; the changed values go through {@code inner}
 * (RocksDB and the changelog) at that point, in the same transaction as the input offsets they account for. A
 * dirty close (a crash, a fenced producer, a corrupted task) simply drops the objects, as it drops the record cache,
 * and the task restores {@code inner} from the changelog.
 *
 * <p>Values are live: a value read from the store is the cached object, and a change to it must be put back to be
 * kept. Only the stream thread that initialized the store reads and writes the objects; other threads (interactive
 * queries) read {@code inner}, which is at most one commit interval behind.
 */
abstract class WriteBackStore<K, V, S extends StateStore> implements StateStore, CachedStateStore<K, V> {

    protected final S inner;
    protected final WriteBackCache<K, V> cache;
    private volatile Thread owner;

    WriteBackStore(S inner, int capacity) {
        this.inner = inner;
        this.cache = new WriteBackCache<>(capacity, this::writeThrough);
    }

    /** Writes one value (null: a deletion) to the inner store. */
    protected abstract void writeThrough(K key, V value, long time);

    /** True on the thread that owns the objects; interactive queries come from other threads. */
    protected final boolean owned() {
        return Thread.currentThread() == owner;
    }

    /** Before an iteration over the inner store: puts the changed values there first, so the iteration sees them. */
    protected final void writeBackIfOwned() {
        if (owned()) {
            cache.writeBackAll();
        }
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        cache.clear();
        owner = Thread.currentThread();
        inner.init(context, root);
    }

    @Override
    public void flushCache() {
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
    public void close() {
        // a clean close has flushed the cache when it committed; a dirty one must not write anything
        cache.clear();
        owner = null;
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
