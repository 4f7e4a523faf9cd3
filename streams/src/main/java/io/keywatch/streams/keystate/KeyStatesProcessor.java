package io.keywatch.streams.keystate;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStateRecords;
import io.keywatch.events.LogSampling;
import io.keywatch.events.SafeText;
import io.keywatch.events.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global store of every key's latest state (status and registry metadata) from the compacted key-state
 * topic. A tombstone removes the key. A forged or malformed record never stops the store and never changes a key's
 * state: no record key, a key with control characters, a value that is not a key state (not JSON, JSON null, a
 * field of the wrong type, a missing keyId, status or changedAt), the state of another key than the record's, or
 * anything else that makes applying it throw is skipped, counted and logged sampled (1st, 2nd, 4th, 8th...), and
 * the records after it apply. So is every record (tombstones included) that is not signed by a listed key for this
 * topic and its key ({@link RecordSignatures}): only keywatch's API writes key states.
 *
 * <p>Kafka Streams replays the topic through this processor when it restores the global store, so the same
 * tolerance applies at start-up, and the store always holds the compact {@link KeyStateSerde} form.
 */
public final class KeyStatesProcessor implements Processor<String, byte[], Void, Void> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStatesProcessor.class);

    private final String storeName;
    private final KeyStateRecords records;
    private KeyValueStore<String, KeyState> store;
    private final AtomicLong skipped;
    private final String topic;
    private final RecordSignatures signatures;

    /**
     * @param skipped    where the skipped records are counted: the streams service reports it
     * @param topic      the key-state topic, as its records are signed for it
     * @param signatures verify each record before it is read: an unsigned or forged one is skipped like a malformed one
     */
    public KeyStatesProcessor(String storeName, JsonSerde<KeyState> json, AtomicLong skipped, String topic,
                              RecordSignatures signatures) {
        this.storeName = storeName;
        this.records = new KeyStateRecords(json);
        this.skipped = skipped;
        this.topic = topic;
        this.signatures = signatures;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            apply(record);
        } catch (RuntimeException e) {
            // this runs on the global thread, where a throw stops the client, and again at every restore: skip the
            // record like any other that cannot be applied (the class only: the message may quote the record)
            skip(record.key(), "applying it threw " + e.getClass().getName()
                    + (e.getCause() == null ? "" : " caused by " + e.getCause().getClass().getName()));
        }
    }

    private void apply(Record<String, byte[]> record) {
        // a tombstone is signed too: an unsigned one would let any writer delete a revoked key's state
        RecordSignatures.Verdict verdict = signatures.verify(topic,
                record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8), record.value(),
                record.headers());
        if (!verdict.valid()) {
            skip(record.key(), verdict.reasonCode() + ": " + verdict.reason());
            return;
        }
        KeyStateRecords.Read read = records.read(record.key(), record.value());
        if (read instanceof KeyStateRecords.Apply apply) {
            store.put(apply.keyId(), apply.state());
        } else if (read instanceof KeyStateRecords.Delete delete) {
            store.delete(delete.keyId());
        } else {
            skip(record.key(), ((KeyStateRecords.Skip) read).why());
        }
    }

    /** Records skipped so far (by every processor counting into the same counter). */
    public long skipped() {
        return skipped.get();
    }

    private void skip(String key, String why) {
        long count = skipped.incrementAndGet();
        if (LogSampling.shouldLog(count)) {
            LOG.warn("ignoring unusable key state for key {}, keeping its previous state ({} skipped so far): {}",
                    SafeText.quote(key), count, SafeText.escape(why, 300));
        }
    }
}
