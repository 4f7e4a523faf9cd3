package io.keywatch.streams.stores;

import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** An inner store's iterator of serialized values, deserializing each value as it is read. */
class DecodingIterator<K, V> implements KeyValueIterator<K, V> {

    private final KeyValueIterator<K, byte[]> inner;
    private final Function<byte[], V> decode;

    DecodingIterator(KeyValueIterator<K, byte[]> inner, Function<byte[], V> decode) {
        this.inner = inner;
        this.decode = decode;
    }

    static <V> WindowStoreIterator<V> ofWindows(WindowStoreIterator<byte[]> inner, Function<byte[], V> decode) {
        return new Windows<>(inner, decode);
    }

    @Override
    public boolean hasNext() {
        return inner.hasNext();
    }

    @Override
    public KeyValue<K, V> next() {
        KeyValue<K, byte[]> next = inner.next();
        return KeyValue.pair(next.key, decode.apply(next.value));
    }

    @Override
    public K peekNextKey() {
        return inner.peekNextKey();
    }

    @Override
    public void close() {
        inner.close();
    }

    private static final class Windows<V> extends DecodingIterator<Long, V> implements WindowStoreIterator<V> {
        Windows(WindowStoreIterator<byte[]> inner, Function<byte[], V> decode) {
            super(inner, decode);
        }
    }
}
