package io.keywatch.streams.keystate;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of every key's latest state (status and registry metadata) from the compacted key-state
 * topic. A tombstone removes the key; a malformed value (not JSON, or missing keyId, status or changedAt) is logged
 * and ignored, keeping the key's previous state.
 *
 * <p>Kafka Streams replays the topic through this processor when it restores the global store, so the same
 * tolerance applies at start-up, and the store always holds the compact {@link KeyStateSerde} form.
 */
public final class KeyStatesProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStatesProcessor.class);

    private final String storeName;
    private final JsonSerde<KeyState> json;
    private KeyValueStore<String, KeyState> store;

    public KeyStatesProcessor(String storeName, JsonSerde<KeyState> json) {
        this.storeName = storeName;
        this.json = json;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String key = record.key();
        if (record.value() == null) {
            if (key != null) {
                store.delete(key);
            }
            return;
        }
        KeyState state;
        try {
            state = json.fromBytes(record.value());
        } catch (SerializationException e) {
            LOG.warn("ignoring malformed key state for key {}; keeping its previous state: {}", key, e.getMessage());
            return;
        }
        if (state == null) {
            LOG.warn("ignoring key state 'null' for key {}; keeping its previous state", key);
            return;
        }
        // the record key is what compaction keeps; fall back to the payload's id if a producer left it out
        String keyId = key != null ? key : state.keyId();
        if (key != null && !key.equals(state.keyId())) {
            LOG.warn("key state record key {} differs from its keyId {}; using the record key", key, state.keyId());
        }
        store.put(keyId, state);
    }
}
