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

/**
 * A store in front of a store Kafka Streams built: it registers and restores as the inner store, and passes the
 * lifecycle on to it. Subclasses keep objects and must forget them in {@link #forget()}.
 */
abstract class StoreInFront<S extends StateStore> implements StateStore {

    protected final S inner;
    // asked for every value (de)serialized: the inner store answers through three layers of wrappers
    private final String name;

    StoreInFront(S inner) {
        this.inner = inner;
        this.name = inner.name();
    }

    /** Drops every object kept, without writing anything: at (re-)initialization and close. */
    protected abstract void forget();

    @Override
    public void init(StateStoreContext context, StateStore root) {
        forget();
        inner.init(context, root);
    }

    @Override
    public void close() {
        forget();
        inner.close();
    }

    @Override
    public String name() {
        return name;
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
