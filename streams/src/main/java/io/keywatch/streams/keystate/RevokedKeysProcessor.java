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
 * Keeps the global store of currently revoked keys from the compacted key-state topic. Only revoked keys are
 * stored, so the per-event lookup for the (many) active keys is a cheap miss. A tombstone or an ACTIVE state
 * removes the key; a malformed value is logged and ignored, keeping the key's previous state.
 *
 * <p>Kafka Streams replays the topic through this processor when it restores the global store, so the same
 * tolerance applies at start-up.
 */
public final class RevokedKeysProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(RevokedKeysProcessor.class);

    private final String storeName;
    private final JsonSerde<KeyState> serde;
    private KeyValueStore<String, KeyState> store;

    public RevokedKeysProcessor(String storeName, JsonSerde<KeyState> serde) {
        this.storeName = storeName;
        this.serde = serde;
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
            state = serde.fromBytes(record.value());
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
        if (state.isRevoked()) {
            store.put(keyId, state);
        } else {
            store.delete(keyId);
        }
    }
}
