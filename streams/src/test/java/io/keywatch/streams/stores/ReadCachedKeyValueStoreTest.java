package io.keywatch.streams.stores;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadCachedKeyValueStoreTest {

    private final List<KeyValueStore<String, Long>> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(KeyValueStore::close);
    }

    @Test
    void readersSeeEveryWriteAndDeletion() {
        KeyValueStore<String, Long> store = open(10);
        assertThat(store.get("k")).isNull();

        store.put("k", 1L);
        assertThat(store.get("k")).isEqualTo(1L);
        store.put("k", 2L);
        assertThat(store.get("k")).isEqualTo(2L);
        assertThat(store.putIfAbsent("k", 3L)).isEqualTo(2L);
        assertThat(store.get("k")).isEqualTo(2L);
        assertThat(store.delete("k")).isEqualTo(2L);
        assertThat(store.get("k")).isNull();
    }

    @Test
    void beyondItsCapacityReadsTheInnerStore() {
        KeyValueStore<String, Long> store = open(2);
        for (long i = 0; i < 5; i++) {
            store.put("k" + i, i);
        }
        for (long i = 0; i < 5; i++) {
            assertThat(store.get("k" + i)).isEqualTo(i);
        }
        store.put("k4", 40L);
        assertThat(store.get("k4")).isEqualTo(40L);
    }

    @Test
    void aReadRacingWithWritesNeverLeavesAnOldValueCached() throws InterruptedException {
        KeyValueStore<String, Long> store = open(10);
        long writes = 20_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        store.get("k");
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            reader.start();
            readers.add(reader);
        }

        long stale = 0;
        for (long i = 1; i <= writes; i++) {
            store.put("k", i);
            if (store.get("k") != i) {
                stale++;
            }
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join();
        }

        assertThat(failure.get()).isNull();
        assertThat(stale).as("reads after a write that returned an older value").isZero();
        assertThat(store.get("k")).isEqualTo(writes);
    }

    private KeyValueStore<String, Long> open(int capacity) {
        KeyValueStore<String, Long> store = ObjectStores.readCachedKeyValueStore(
                Stores.inMemoryKeyValueStore("states-" + opened.size()), Serdes.String(), Serdes.Long(), capacity)
                .withLoggingDisabled().build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        opened.add(store);
        return store;
    }
}
