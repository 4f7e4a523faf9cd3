package io.keywatch.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.RejectCode;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.detect.DetectionOutput;
import io.keywatch.streams.detect.DetectionProcessor;
import io.keywatch.streams.detect.DetectionProcessorSupplier;
import io.keywatch.streams.detect.RejectedSecretAlerts;
import io.keywatch.streams.keystate.KeyStateSerde;
import io.keywatch.streams.keystate.KeyStatesProcessor;
import io.keywatch.streams.metrics.TopologyMetrics;
import io.keywatch.streams.parse.ParseUsageEventProcessor;
import io.keywatch.streams.parse.ParsedRecord;
import io.keywatch.streams.redact.RedactSecretsProcessor;
import io.keywatch.streams.route.KeyPartitioner;
import io.keywatch.streams.sign.SignRecordProcessor;
import io.keywatch.streams.route.Placed;
import io.keywatch.streams.route.PlacementCheck;
import io.keywatch.streams.stores.TopologyStores;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
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
 * keywatch's topology: parse usage events (dead-lettering what cannot be used), replace secrets in them by keyed
 * fingerprints ({@link RedactSecretsProcessor}), key them by keyId, aggregate per key and minute, and run the
 * detectors, which write alerts (and dead-letter events too late for their minute). A record that makes a processor
 * throw is dead-lettered by the configured handler
 * ({@link io.keywatch.streams.errors.DeadLetteringProcessingExceptionHandler}). Every processor, store and internal
 * topic is named, so that they stay stable across releases.
 *
 * <p>Stores: {@link #KEY_STATES_STORE} (global: every key's latest state and registry metadata, from the compacted
 * key-state topic), and, declared by the detection processor, {@link #USAGE_STORE} (per key and minute),
 * {@link #PROFILE_STORE} (per key: baselines, activity, countries, alert marks), {@link #SCOPE_USAGE_STORE} (per key:
 * scopes used, published on the key-scopes topic when they change), {@link #CLOCK_STORE} and
 * {@link #HYGIENE_CURSOR_STORE} (per task).
 * The detectors are the rule classes of {@code io.keywatch.streams.detect}, each with the settings it declares
 * ({@link io.keywatch.streams.detect.Detectors#settings()}).
 */
public final class KeywatchTopology {

    /** The queryable per-key, per-minute usage window store. */
    public static final String USAGE_STORE = "key-usage-per-minute";
    /**
     * Each key's profile: volume baselines (recent and by hour of day), client-IP baseline, rate-limit streak,
     * activity (first/last seen), countries seen, marks of hour- and day-windowed alerts.
     */
    public static final String PROFILE_STORE = "key-profile";
    /** Per task: since when (stream time) it has been observing, for KEY_UNUSED. */
    public static final String CLOCK_STORE = "detection-clock";
    /**
     * Per task: the last key the hygiene pass and the daily clean-up looked at, so that a restart resumes them rather
     * than starting over.
     */
    public static final String HYGIENE_CURSOR_STORE = "hygiene-cursor";
    /** Per key: which scopes it used, and on which UTC day last (published on the key-scopes topic). */
    public static final String SCOPE_USAGE_STORE = "key-scope-usage";
    /** Global store of every key's latest state: status and registry metadata. */
    public static final String KEY_STATES_STORE = "key-states";
    /**
     * Internal topic that carries events that were not at home (keyed by their keyId on the partition
     * {@link KeyPartitioner} gives it) to the right partition.
     */
    public static final String REKEY_TOPIC = "usage-events-by-key-id";

    private KeywatchTopology() {
    }

    /**
     * @param settings without a {@link StreamsSettings#secretFingerprintKey()}, the topology fingerprints secrets
     *                 under a random key of its own (the streams service warns about that before it gets here)
     */
    public static Topology build(StreamsSettings settings) {
        return build(settings, new AtomicLong());
    }

    /**
     * @param keyStateSkips counts the key-state records skipped as malformed or not signed by a listed key
     *                      ({@link KeyStatesProcessor})
     */
    public static Topology build(StreamsSettings settings, AtomicLong keyStateSkips) {
        return build(settings, keyStateSkips, TopologyMetrics.none());
    }

    /**
     * @param metrics counts events read, dead-lettered and alerts raised (README: Metrics); the counting nodes are
     *                named like the others
     */
    public static Topology build(StreamsSettings settings, AtomicLong keyStateSkips, TopologyMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Topics topics = settings.topics();
        ObjectMapper mapper = KeywatchJson.newMapper();

        // without keys (offline tools, tests that do not care): a random one, so that nothing this topology writes
        // verifies elsewhere and no key state verifies here; the streams service refuses to start without keys
        RecordSignatures signatures = new RecordSignatures(settings.recordSigningKeys() != null
                ? settings.recordSigningKeys() : RecordSigningKeys.random("unconfigured"));
        JsonSerde<Alert> alertJson = new JsonSerde<>(mapper, Alert.class);

        int hotRegistryKeys = (int) Math.min(Integer.MAX_VALUE, (long) settings.hotKeys() * settings.partitions());
        addKeyStates(builder, topics, mapper, new TopologyStores(settings.stores()), hotRegistryKeys, keyStateSkips,
                signatures);

        FingerprintKey fingerprintKey = settings.secretFingerprintKey() != null
                ? settings.secretFingerprintKey() : FingerprintKey.random();
        KStream<String, ParsedRecord> parsed = builder
                .stream(topics.usageEvents(), Consumed.with(Serdes.String(), Serdes.ByteArray())
                        .withName("usage-events-source"))
                .processValues(() -> new ParseUsageEventProcessor(new UsageEventParser(), settings.maxFutureSkew(),
                                fingerprintKey, metrics),
                        Named.as("parse-usage-event"));

        Map<String, KStream<String, ParsedRecord>> outcome = parsed.split(Named.as("parsed-"))
                .branch((key, value) -> value.isValid(), Branched.as("valid"))
                .defaultBranch(Branched.as("rejected"));

        // rejected: the original key and bytes (bounded, secrets replaced by fingerprints), plus the reason,
        // reason-code and origin headers the parser added
        outcome.get("parsed-rejected")
                .selectKey((key, rejected) -> rejected.deadLetterKey(), Named.as("dead-letter-bounded-key"))
                .mapValues(ParsedRecord::raw, Named.as("dead-letter-raw-value"))
                .to(topics.usageEventsDlq(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("usage-events-dlq-sink"));
        // a rejected record that held a secret still says that the secret leaked
        if (!settings.detection().isDisabled(AlertRule.SECRET_IN_TELEMETRY)) {
            outcome.get("parsed-rejected")
                    .filter((key, rejected) -> rejected.heldSecret(), Named.as("rejected-with-secret"))
                    .process(RejectedSecretAlerts::new, Named.as("secret-in-rejected-event"))
                    .peek((key, alert) -> metrics.alertRaised(alert), Named.as("count-rejected-secret-alert"))
                    .processValues(() -> new SignRecordProcessor<>(topics.alerts(), alertJson.serializer(), signatures),
                            Named.as("sign-rejected-secret-alert"))
                    .to(topics.alerts(), Produced.with(Serdes.String(), Serdes.ByteArray())
                            .withName("rejected-secret-alerts-sink"));
        }

        // secrets out before anything stores, logs or keys by them: a secret key id becomes its keyed fingerprint
        KStream<String, UsageEvent> events = outcome.get("parsed-valid")
                .mapValues(ParsedRecord::event, Named.as("parsed-event"))
                .processValues(() -> new RedactSecretsProcessor(fingerprintKey), Named.as("redact-secrets"));

        // The event's keyId is the truth, and KeyPartitioner says which partition owns it. Records already keyed by
        // it on that partition (what Java publishers do) stay where they are; only the others take a trip through a
        // repartition topic to reach their key's task: null or different keys, producers with another partitioner
        // (librdkafka's CRC32, random), and every event whose key id was a secret, now keyed by its fingerprint.
        KeyPartitioner partitioner = new KeyPartitioner(settings.partitions());
        Map<String, KStream<String, Placed>> keyed = events
                .processValues(() -> new PlacementCheck(partitioner), Named.as("check-placement"))
                .split(Named.as("keyed-"))
                .branch((key, placed) -> placed.home(), Branched.as("by-key-id"))
                .defaultBranch(Branched.as("other-key"));
        KStream<String, UsageEvent> rekeyed = keyed.get("keyed-other-key")
                .mapValues(Placed::event, Named.as("away-event"))
                .selectKey((key, event) -> event.keyId(), Named.as("key-by-key-id"))
                .repartition(Repartitioned.with(Serdes.String(), new JsonSerde<>(mapper, UsageEvent.class))
                        .withName(REKEY_TOPIC));
        KStream<String, UsageEvent> byKeyId = keyed.get("keyed-by-key-id")
                .mapValues(Placed::event, Named.as("at-home-event"))
                .merge(rekeyed, Named.as("merge-keyed"));

        DetectionProcessor.StoreNames stores =
                new DetectionProcessor.StoreNames(USAGE_STORE, PROFILE_STORE, KEY_STATES_STORE, CLOCK_STORE,
                        SCOPE_USAGE_STORE, HYGIENE_CURSOR_STORE);
        Map<String, KStream<String, DetectionOutput>> detected = byKeyId
                .process(new DetectionProcessorSupplier(settings, stores), Named.as("aggregate-and-detect"))
                .split(Named.as("detected-"))
                .branch((key, output) -> output instanceof DetectionOutput.Raised, Branched.as("alert"))
                .branch((key, output) -> output instanceof DetectionOutput.ScopesUsed, Branched.as("scopes"))
                .defaultBranch(Branched.as("late"));
        detected.get("detected-alert")
                .mapValues(output -> ((DetectionOutput.Raised) output).alert(), Named.as("alert-value"))
                .peek((key, alert) -> metrics.alertRaised(alert), Named.as("count-alert"))
                // signed: readers act on an alert (revoke its key) only when keywatch wrote it
                .processValues(() -> new SignRecordProcessor<>(topics.alerts(), alertJson.serializer(), signatures),
                        Named.as("sign-alert"))
                .to(topics.alerts(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("alerts-sink"));
        // a key's whole scope usage, when it changed: signed like the alerts, for the API's least-privilege report
        JsonSerde<KeyScopeUsage> scopesJson = new JsonSerde<>(mapper, KeyScopeUsage.class);
        detected.get("detected-scopes")
                .mapValues(output -> ((DetectionOutput.ScopesUsed) output).usage(), Named.as("key-scopes-value"))
                .processValues(() -> new SignRecordProcessor<>(topics.keyScopes(), scopesJson.serializer(), signatures),
                        Named.as("sign-key-scopes"))
                .to(topics.keyScopes(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("key-scopes-sink"));
        // late: the event as parsed, re-serialized, with the lateness as the reason (the detection processor set it)
        detected.get("detected-late")
                .peek((key, late) -> metrics.deadLettered(RejectCode.LATE), Named.as("count-late-event"))
                .mapValues(output -> ((DetectionOutput.Late) output).json(), Named.as("late-event-json"))
                .to(topics.usageEventsDlq(), Produced.with(Serdes.String(), Serdes.ByteArray())
                        .withName("late-events-dlq-sink"));

        return builder.build();
    }

    private static void addKeyStates(StreamsBuilder builder, Topics topics, ObjectMapper mapper,
                                     TopologyStores stores, int hotKeys,
                                     AtomicLong skipped, RecordSignatures signatures) {
        JsonSerde<KeyState> json = new JsonSerde<>(mapper, KeyState.class);
        // global: every task must see every key's state; raw bytes in, so a malformed value cannot fail the consumer;
        // the store keeps a compact binary form, and the hot keys' states as objects, because every usage event reads
        // its key's state once
        builder.addGlobalStore(
                stores.global(Stores.persistentKeyValueStore(KEY_STATES_STORE),
                        Serdes.String(), new KeyStateSerde(), hotKeys).withLoggingDisabled(),
                topics.keyState(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("key-state-source"),
                () -> new KeyStatesProcessor(KEY_STATES_STORE, json, skipped, topics.keyState(), signatures));
    }
}
