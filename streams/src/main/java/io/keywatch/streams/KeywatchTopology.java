package io.keywatch.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import io.keywatch.streams.detect.DetectionProcessor;
import io.keywatch.streams.detect.DetectionProcessorSupplier;
import io.keywatch.streams.keystate.RevokedKeysProcessor;
import io.keywatch.streams.parse.ParseUsageEventProcessor;
import io.keywatch.streams.parse.ParsedRecord;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * keywatch's topology: parse usage events (dead-lettering what cannot be used), key them by keyId, aggregate per
 * key and minute, and run the detectors, which write alerts. Every processor, store and internal topic is named,
 * so that they stay stable across releases.
 */
public final class KeywatchTopology {

    /** The queryable per-key, per-minute usage window store. */
    public static final String USAGE_STORE = "key-usage-per-minute";
    /** Each key's learned request-volume baseline. */
    public static final String BASELINE_STORE = "key-volume-baseline";
    /** Global store of the keys whose latest state is REVOKED. */
    public static final String REVOKED_KEYS_STORE = "revoked-keys";
    /** Internal topic that carries events whose record key was not their keyId to the right partition. */
    public static final String REKEY_TOPIC = "usage-events-by-key-id";

    private KeywatchTopology() {
    }

    public static Topology build(StreamsSettings settings) {
        StreamsBuilder builder = new StreamsBuilder();
        Topics topics = settings.topics();
        ObjectMapper mapper = KeywatchJson.newMapper();

        addRevokedKeys(builder, topics, mapper);

        KStream<String, ParsedRecord> parsed = builder
                .stream(topics.usageEvents(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("usage-events-source"))
                .processValues(() -> new ParseUsageEventProcessor(new UsageEventParser(mapper), settings.maxFutureSkew()),
                        Named.as("parse-usage-event"));

        Map<String, KStream<String, ParsedRecord>> outcome = parsed.split(Named.as("parsed-"))
                .branch((key, value) -> value.isValid(), Branched.as("valid"))
                .defaultBranch(Branched.as("rejected"));

        // rejected: the original key and bytes, plus the reason and origin headers the parser added
        outcome.get("parsed-rejected")
                .mapValues(ParsedRecord::raw, Named.as("dead-letter-raw-value"))
                .to(topics.usageEventsDlq(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("usage-events-dlq-sink"));

        KStream<String, UsageEvent> events = outcome.get("parsed-valid")
                .mapValues(ParsedRecord::event, Named.as("parsed-event"));

        // The event's keyId is the truth. Records already keyed by it (what publishers do) stay on their partition;
        // only the others (null or different key) take a trip through a repartition topic to reach their key's task.
        Map<String, KStream<String, UsageEvent>> keyed = events.split(Named.as("keyed-"))
                .branch((key, event) -> event.keyId().equals(key), Branched.as("by-key-id"))
                .defaultBranch(Branched.as("other-key"));
        KStream<String, UsageEvent> rekeyed = keyed.get("keyed-other-key")
                .selectKey((key, event) -> event.keyId(), Named.as("key-by-key-id"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(mapper, UsageEvent.class))
                        .withName(REKEY_TOPIC));
        KStream<String, UsageEvent> byKeyId = keyed.get("keyed-by-key-id").merge(rekeyed, Named.as("merge-keyed"));

        DetectionProcessor.StoreNames stores =
                new DetectionProcessor.StoreNames(USAGE_STORE, BASELINE_STORE, REVOKED_KEYS_STORE);
        byKeyId.process(new DetectionProcessorSupplier(settings, stores), Named.as("aggregate-and-detect"))
                .to(topics.alerts(), Produced.with(Serdes.String(), new JsonSerde<>(mapper, Alert.class))
                        .withName("alerts-sink"));

        return builder.build();
    }

    private static void addRevokedKeys(StreamsBuilder builder, Topics topics, ObjectMapper mapper) {
        JsonSerde<KeyState> keyStateSerde = new JsonSerde<>(mapper, KeyState.class);
        // global: every task must see every key's state; raw bytes in, so a malformed value cannot fail the consumer
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(REVOKED_KEYS_STORE),
                        Serdes.String(), keyStateSerde).withLoggingDisabled(),
                topics.keyState(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("key-state-source"),
                () -> new RevokedKeysProcessor(REVOKED_KEYS_STORE, keyStateSerde));
    }
}
