package io.keywatch.streams.keystate;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.streams.StreamsSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.io.TempDir;

/** The global key-state processor never throws: on the global thread a throw would stop the client at every restore. */
class KeyStatesProcessorThrowTest {

    @TempDir
    Path dir;

    @Test
    void aRecordThatMakesApplyingItThrowIsSkippedAndCounted() {
        var props = StreamsSettings.fromEnv(Map.of()).toProperties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(props, new TaskId(0, 0), dir.toFile());
        KeyValueStore<String, KeyState> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("states"),
                Serdes.String(), new KeyStateSerde()).withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        AtomicLong skipped = new AtomicLong();
        JsonSerde<KeyState> json = new JsonSerde<>(KeyState.class);
        RecordSignatures signatures = new RecordSignatures(RecordSigningKeys.random("k"));
        KeyStatesProcessor processor = new KeyStatesProcessor("states", json, skipped, "keywatch.key-state",
                signatures);
        processor.init(context);
        // a store that fails (here: closed) makes the put throw, as RocksDB does on a failed write
        store.close();

        byte[] value = json.toBytes(
                new KeyState("k", KeyStatus.REVOKED, Instant.parse("2026-03-02T10:00:00Z"), "leaked", "x"));
        processor.process(new Record<>("k", value, 0L, signatures.sign("keywatch.key-state",
                "k".getBytes(StandardCharsets.UTF_8), value, new RecordHeaders())));

        assertThat(skipped.get()).isEqualTo(1);
        assertThat(processor.skipped()).isEqualTo(1);
    }
}
