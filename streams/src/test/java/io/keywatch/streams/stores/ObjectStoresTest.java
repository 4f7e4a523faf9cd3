package io.keywatch.streams.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.state.internals.WithRetentionPeriod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-back stores in a real (test-driven) Kafka Streams task, with room for a single key's objects. */
class ObjectStoresTest {

    private static final String TOTALS = "totals";
    private static final String PER_MINUTE = "per-minute";
    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<String, String> input;

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void countsStayRightWhenKeysOutnumberTheObjectsKept() {
        start();

        send("a", 0, "b", 0, "c", 0, "a", 0, "b", 0, "a", 1, "c", 1);

        KeyValueStore<String, Long> totals = driver.getKeyValueStore(TOTALS);
        assertThat(totals.get("a")).isEqualTo(3L);
        assertThat(totals.get("b")).isEqualTo(2L);
        assertThat(totals.get("c")).isEqualTo(2L);
        assertThat(all(totals)).containsExactly(KeyValue.pair("a", 3L), KeyValue.pair("b", 2L), KeyValue.pair("c", 2L));
        assertThat(minutes("a")).containsExactly(KeyValue.pair(minute(0), 2L), KeyValue.pair(minute(1), 1L));
        assertThat(minutes("c")).containsExactly(KeyValue.pair(minute(0), 1L), KeyValue.pair(minute(1), 1L));
    }

    @Test
    void anOlderWindowIsReadAndWrittenBesideTheOpenOne() {
        start();

        send("a", 2, "a", 1, "a", 2, "a", 0, "a", 1);

        assertThat(minutes("a")).containsExactly(KeyValue.pair(minute(0), 1L), KeyValue.pair(minute(1), 2L),
                KeyValue.pair(minute(2), 2L));
    }

    @Test
    void deletesReachTheInnerStore() {
        start();
        send("a", 0, "b", 0);

        KeyValueStore<String, Long> totals = driver.getKeyValueStore(TOTALS);
        assertThat(totals.delete("a")).isEqualTo(1L);

        assertThat(totals.get("a")).isNull();
        assertThat(all(totals)).containsExactly(KeyValue.pair("b", 1L));
    }

    @Test
    void aWindowStoreTellsItsRetentionSoThatRestoringSkipsExpiredWindows() {
        WindowStore<String, Long> store = ObjectStores.writeBackWindowStore(Stores.persistentWindowStore(PER_MINUTE,
                Duration.ofHours(1), Duration.ofMinutes(1), false), Serdes.String(), Serdes.Long(), 1).build();

        assertThat(WithRetentionPeriod.resolveRetentionPeriod(store)).isEqualTo(Duration.ofHours(1).toMillis());
    }

    @Test
    void theThreadThatWritesOwnsTheObjectsEvenIfAnotherInitializedTheStore() throws Exception {
        KeyValueStore<String, Long> store = ObjectStores.writeBackKeyValueStore(Stores.inMemoryKeyValueStore("x"),
                Serdes.String(), Serdes.Long(), 10).withLoggingDisabled().build();
        store.init(new org.apache.kafka.streams.processor.api.MockProcessorContext<>().getStateStoreContext(), store);
        try {
            AtomicReference<Long> seen = new AtomicReference<>();
            Thread writer = new Thread(() -> {
                store.put("k", 1L);
                seen.set(store.get("k"));
            });
            writer.start();
            writer.join();

            assertThat(seen.get()).isEqualTo(1L);
        } finally {
            store.close();
        }
    }

    @Test
    void refusesTheRecordCacheItWouldOnlyDuplicate() {
        assertThatThrownBy(() -> ObjectStores.writeBackKeyValueStore(Stores.inMemoryKeyValueStore("x"),
                Serdes.String(), Serdes.Long(), 1).withCachingEnabled())
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private void start() {
        Topology topology = new Topology();
        topology.addSource("source", Serdes.String().deserializer(), Serdes.String().deserializer(), "input");
        topology.addProcessor("count", Counter::new, "source");
        topology.addStateStore(ObjectStores.writeBackKeyValueStore(Stores.persistentKeyValueStore(TOTALS),
                Serdes.String(), Serdes.Long(), 1), "count");
        topology.addStateStore(ObjectStores.writeBackWindowStore(Stores.persistentWindowStore(PER_MINUTE,
                        Duration.ofHours(1), Duration.ofMinutes(1), false), Serdes.String(), Serdes.Long(), 1),
                "count");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "write-back-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(topology, props, T0);
        input = driver.createInputTopic("input", Serdes.String().serializer(), Serdes.String().serializer());
    }

    /** Pairs of key and minute. */
    private void send(Object... keysAndMinutes) {
        for (int i = 0; i < keysAndMinutes.length; i += 2) {
            input.pipeInput((String) keysAndMinutes[i], "x", minute((Integer) keysAndMinutes[i + 1]));
        }
    }

    private static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    private static List<KeyValue<String, Long>> all(KeyValueStore<String, Long> store) {
        List<KeyValue<String, Long>> entries = new ArrayList<>();
        try (KeyValueIterator<String, Long> iterator = store.all()) {
            iterator.forEachRemaining(entries::add);
        }
        return entries;
    }

    private List<KeyValue<Instant, Long>> minutes(String key) {
        WindowStore<String, Long> store = driver.getWindowStore(PER_MINUTE);
        List<KeyValue<Instant, Long>> entries = new ArrayList<>();
        try (WindowStoreIterator<Long> iterator = store.fetch(key, T0, minute(60))) {
            iterator.forEachRemaining(entry -> entries.add(KeyValue.pair(Instant.ofEpochMilli(entry.key), entry.value)));
        }
        return entries;
    }

    /** Counts records per key in total and per minute: a read and a write of each store per record. */
    private static final class Counter implements Processor<String, String, Void, Void> {
        private KeyValueStore<String, Long> totals;
        private WindowStore<String, Long> perMinute;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            totals = context.getStateStore(TOTALS);
            perMinute = context.getStateStore(PER_MINUTE);
        }

        @Override
        public void process(Record<String, String> record) {
            Long total = totals.get(record.key());
            totals.put(record.key(), total == null ? 1 : total + 1);
            long minute = record.timestamp() - Math.floorMod(record.timestamp(), 60_000L);
            Long count = perMinute.fetch(record.key(), minute);
            perMinute.put(record.key(), count == null ? 1 : count + 1, minute);
        }
    }
}
