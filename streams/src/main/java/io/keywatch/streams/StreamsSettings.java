package io.keywatch.streams;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Env;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.Topics;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.detect.AuthFailureBurstRule;
import io.keywatch.streams.detect.Detectors;
import io.keywatch.streams.detect.KeyHygieneScan;
import io.keywatch.streams.detect.VolumeSpikeRule;
import io.keywatch.streams.errors.DeadLetteringDeserializationExceptionHandler;
import io.keywatch.streams.errors.DeadLetteringProcessingExceptionHandler;
import io.keywatch.streams.errors.SkipUnserializableRecordHandler;
import io.keywatch.streams.redact.DeadLetterRedactor;
import io.keywatch.streams.stores.StoreKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the streams service needs to run, read from environment variables by {@link #fromEnv(Map)}.
 *
 * <table>
 *   <caption>Environment variables</caption>
 *   <tr><th>variable</th><th>default</th></tr>
 *   <tr><td>KEYWATCH_KAFKA_BOOTSTRAP</td><td>localhost:9092</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_APPLICATION_ID</td><td>keywatch-streams</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_STATE_DIR</td><td>./keywatch-data/streams</td></tr>
 *   <tr><td>KEYWATCH_TOPIC_* (see {@link Topics#fromEnv(Map)})</td><td>keywatch.*</td></tr>
 *   <tr><td>KEYWATCH_TOPIC_PARTITIONS (for topics this service creates; the service replaces it by the
 *   usage-events topic's real partition count at start, see {@link #withPartitions})</td><td>3</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_THREADS</td><td>1</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_INSTANCE_ID (this instance's static group membership id, unique per instance; see
 *   {@link GroupMembership})</td><td>made at first start and kept in the state dir</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS (how long the group waits for a silent instance)</td><td>45</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE (a clean stop hands the partitions over at once)</td><td>true</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_COMMIT_INTERVAL_MS</td><td>100</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES (per-minute aggregates kept)</td><td>120</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_GRACE_SECONDS (how late an event may arrive for its minute)</td><td>30</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS (events further ahead of the clock go to the DLQ)</td><td>3600</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_CACHE_MB (Kafka Streams' record cache, shared by the threads; keywatch's own per-key
 *   stores keep objects instead, see the next line)</td><td>64</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_HOT_KEYS (per task: keys whose profile and open minute stay in memory, serialized
 *   between commits and as objects while in use, written to RocksDB and the changelog at each commit, the least
 *   recently used dropped beyond it; times the partitions: keys whose registry entry is kept as an object)</td><td>50000</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_STORES ({@code object}: keywatch's object stores, which rest on Kafka Streams'
 *   non-public internals; {@code builtin}: Kafka Streams' own cached stores, the way back if an upgrade breaks
 *   them)</td><td>object</td></tr>
 *   <tr><td>KEYWATCH_KAFKA_CONFIG_* (Kafka client settings for every keywatch process, e.g. SASL and TLS; see
 *   {@link KafkaClientConfig})</td><td></td></tr>
 *   <tr><td>KEYWATCH_STREAMS_CONFIG_* (over KEYWATCH_KAFKA_CONFIG_*: any other Kafka Streams or client setting: the rest of the name, lower case,
 *   {@code _} for {@code .}, e.g. KEYWATCH_STREAMS_CONFIG_PRODUCER_COMPRESSION_TYPE=zstd)</td><td></td></tr>
 *   <tr><td>KEYWATCH_DETECT_* (one per {@link DetectionSetting}, declared by the rule that reads it; see
 *   {@link Detectors#settings()} and the README's setting table)</td><td></td></tr>
 *   <tr><td>KEYWATCH_DETECT_DISABLED_RULES (rules switched off for every key, comma-separated)</td><td>none</td></tr>
 *   <tr><td>KEYWATCH_DETECT_ENABLED_RULES (rules that are off by default, e.g. VOLUME_DROP, switched on for every key,
 *   comma-separated; a rule in both lists is off)</td><td>none</td></tr>
 *   <tr><td>KEYWATCH_SECRET_FINGERPRINT_KEY (base64, at least 32 bytes: the HMAC key of the fingerprints that replace
 *   secrets published as key ids; unset, the service makes a random one at each start, so fingerprints differ across
 *   restarts and instances: set it when running more than one)</td><td>random</td></tr>
 *   <tr><td>KEYWATCH_RECORD_SIGNING_KEYS ({@code kid:base64,...}: signs the alerts, verifies the key states; see
 *   {@link RecordSigningKeys}; the service refuses to start without it)</td><td>none</td></tr>
 * </table>
 */
public record StreamsSettings(
        String bootstrapServers,
        String applicationId,
        Path stateDir,
        Topics topics,
        int partitions,
        int threads,
        Duration commitInterval,
        Duration usageRetention,
        Duration windowGrace,
        Duration maxFutureSkew,
        int cacheMegabytes,
        int hotKeys,
        StoreKind stores,
        KafkaClientConfig kafkaOverrides,
        DetectionSettings detection,
        FingerprintKey secretFingerprintKey,
        GroupMembership membership,
        RecordSigningKeys recordSigningKeys) {

    /**
     * Kafka Streams' default is 10 MB. keywatch's own per-key stores keep objects instead (see {@link #hotKeys()}), so
     * this serves caching stores added through the DSL, and the bench's baseline, which runs with keywatch's
     * configuration and counts per key in a cached window store.
     */
    static final int DEFAULT_CACHE_MB = 64;

    /**
     * Enough for a deployment's active keys on one task (100,000 keys over 3 partitions need ~34,000): a few hundred
     * bytes of heap per key (a profile and a minute serialized are ~300 bytes), tens of MiB in all.
     */
    static final int DEFAULT_HOT_KEYS = 50_000;

    /** The variable of the HMAC key that fingerprints secrets published as key ids. */
    public static final String SECRET_FINGERPRINT_KEY_VAR = "KEYWATCH_SECRET_FINGERPRINT_KEY";

    /** The size of the usage windows; detectors reason in requests per minute. */
    public static final Duration WINDOW_SIZE = Duration.ofMinutes(1);

    public StreamsSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(commitInterval, "commitInterval");
        Objects.requireNonNull(usageRetention, "usageRetention");
        Objects.requireNonNull(windowGrace, "windowGrace");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew");
        Objects.requireNonNull(detection, "detection");
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(kafkaOverrides, "kafkaOverrides");
        if (cacheMegabytes < 0) {
            throw new IllegalArgumentException("the record cache cannot be negative, got " + cacheMegabytes + " MB");
        }
        if (hotKeys <= 0) {
            throw new IllegalArgumentException("hot keys must be greater than 0, got " + hotKeys);
        }
        if (partitions <= 0 || threads <= 0) {
            throw new IllegalArgumentException("partitions and threads must be greater than 0");
        }
        // a future-stamped event (accepted up to the skew) moves the usage store's time ahead: the store must still
        // keep the minutes that current events go to, or they are dead-lettered late
        Duration needed = maxFutureSkew.plus(WINDOW_SIZE).plus(windowGrace);
        if (usageRetention.compareTo(needed) < 0) {
            throw new IllegalArgumentException("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES (" + usageRetention.toMinutes()
                    + " minutes) must cover KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS (" + maxFutureSkew.toSeconds()
                    + " s) plus one window (" + WINDOW_SIZE.toSeconds() + " s) plus KEYWATCH_STREAMS_GRACE_SECONDS ("
                    + windowGrace.toSeconds() + " s): at least " + (needed.toSeconds() + 59) / 60 + " minutes; raise "
                    + "the retention or lower the future skew");
        }
    }

    /** Reads the settings from environment variables; unset ones keep their defaults (see the class comment). */
    public static StreamsSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new StreamsSettings(
                env.text("KEYWATCH_KAFKA_BOOTSTRAP", "localhost:9092"),
                env.text("KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-streams"),
                Path.of(env.text("KEYWATCH_STREAMS_STATE_DIR", "./keywatch-data/streams")),
                Topics.fromEnv(variables),
                env.positiveInteger("KEYWATCH_TOPIC_PARTITIONS", 3),
                env.positiveInteger("KEYWATCH_STREAMS_THREADS", 1),
                Duration.ofMillis(env.positiveInteger("KEYWATCH_STREAMS_COMMIT_INTERVAL_MS", 100)),
                Duration.ofMinutes(env.positiveInteger("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", 120)),
                Duration.ofSeconds(env.positiveInteger("KEYWATCH_STREAMS_GRACE_SECONDS", 30)),
                Duration.ofSeconds(env.positiveInteger("KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS", 3600)),
                env.positiveInteger("KEYWATCH_STREAMS_CACHE_MB", DEFAULT_CACHE_MB),
                env.positiveInteger("KEYWATCH_STREAMS_HOT_KEYS", DEFAULT_HOT_KEYS),
                env.read("KEYWATCH_STREAMS_STORES", StoreKind.OBJECT, StoreKind::parse, "object or builtin"),
                KafkaOverrides.fromEnv(variables, "KEYWATCH_STREAMS_CONFIG_"),
                DetectionSettings.fromEnv(env),
                env.secret(SECRET_FINGERPRINT_KEY_VAR, null, FingerprintKey::parseBase64,
                        "the base64 of at least " + FingerprintKey.MIN_BYTES + " bytes"),
                GroupMembership.fromEnv(env),
                RecordSigningKeys.fromEnv(variables));
    }

    public StreamsSettings withBootstrapServers(String servers) {
        return new StreamsSettings(servers, applicationId, stateDir, topics, partitions, threads, commitInterval,
                usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides, detection,
                secretFingerprintKey, membership, recordSigningKeys);
    }

    /** A copy with this partition count: the usage-events topic's real one, once the broker has said it. */
    public StreamsSettings withPartitions(int count) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, count, threads, commitInterval,
                usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides, detection,
                secretFingerprintKey, membership, recordSigningKeys);
    }

    public StreamsSettings withStateDir(Path dir) {
        return new StreamsSettings(bootstrapServers, applicationId, dir, topics, partitions, threads, commitInterval,
                usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides, detection,
                secretFingerprintKey, membership, recordSigningKeys);
    }

    public StreamsSettings withDetection(DetectionSettings settings) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, partitions, threads,
                commitInterval, usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides,
                settings, secretFingerprintKey, membership, recordSigningKeys);
    }

    /** A copy with this fingerprint key (null: none set, see {@link #secretFingerprintKey()}). */
    public StreamsSettings withSecretFingerprintKey(FingerprintKey key) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, partitions, threads,
                commitInterval, usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides,
                detection, key, membership, recordSigningKeys);
    }

    /** A copy with these record signing keys (null: none set; the service then refuses to start). */
    public StreamsSettings withRecordSigningKeys(RecordSigningKeys keys) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, partitions, threads,
                commitInterval, usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides,
                detection, secretFingerprintKey, membership, keys);
    }

    /** A copy with this group membership (e.g. once {@link GroupMembership#resolved} chose the instance id). */
    public StreamsSettings withMembership(GroupMembership groupMembership) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, partitions, threads,
                commitInterval, usageRetention, windowGrace, maxFutureSkew, cacheMegabytes, hotKeys, stores, kafkaOverrides,
                detection, secretFingerprintKey, groupMembership, recordSigningKeys);
    }

    /** The Kafka Streams configuration: exactly-once, an explicit state directory, and handlers that never stall. */
    public Properties toProperties() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        // the default /tmp/kafka-streams collides between runs and tests
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // bad input is dead-lettered by the topology itself; these dead-letter what slips past it (a record that
        // makes a processor throw, an internal record that cannot be read), so that no record is dropped silently
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringDeserializationExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetteringProcessingExceptionHandler.class);
        // also on the global thread (key states): a throw there would stop the client, and again at every restore;
        // Kafka 4.4 sends no dead-letter record from a global processor, so such a record is counted and skipped
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.usageEventsDlq());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUnserializableRecordHandler.class);
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, (long) cacheMegabytes << 20);
        // the exception handlers (made by Kafka Streams) fingerprint dead letters' secrets under the topology's key
        if (secretFingerprintKey != null) {
            props.put(DeadLetterRedactor.CONFIG, secretFingerprintKey);
        }
        // A task reads two partitions (usage events, and the rare ones re-keyed by keyId). With idling on, Kafka
        // Streams formats a log message for the empty one before every record (~6 % of the stream thread); the
        // two need no timestamp alignment, since events up to the grace period late are counted anyway.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        // static membership: a restarted instance takes its partitions back without waiting out its old session
        membership.addTo(props);
        kafkaOverrides.applyTo(props);
        return props;
    }

    /**
     * Detector thresholds: one value per setting of {@link Detectors#settings()}, each from its
     * {@code KEYWATCH_DETECT_*} variable (each rule declares its own: names, defaults and meaning), plus
     * {@code KEYWATCH_DETECT_DISABLED_RULES}, a comma-separated list of {@link AlertRule} names switched off for every
     * key (e.g. {@code UNKNOWN_KEY,KEY_IN_URL}).
     * A key's registry entry may override any per-key setting ({@code KeyMetadata.thresholds}).
     *
     * <p>The accessors below read the global values; detectors resolve a key's effective values through
     * {@code io.keywatch.streams.detect.KeyThresholds}.
     */
    public static final class DetectionSettings {

        /** Every setting, derived from the rules' declarations; a setting's value is at its index here. */
        private static final List<DetectionSetting> SETTINGS = Detectors.all().settings();
        private static final Map<DetectionSetting, Integer> INDEX = index(SETTINGS);

        public static final DetectionSettings DEFAULTS = new DetectionSettings(defaultValues(), Set.of(), Set.of());

        private final double[] values;
        private final Set<AlertRule> disabledRules;
        private final Set<AlertRule> enabledRules;

        /** The thresholds that existed before per-key settings; every other setting keeps its default. */
        public DetectionSettings(int volumeWarmupMinutes, int volumeFloor, double volumeFactor, double volumeSmoothing, int leakMinClientIps, int leakMinCountries,
                                 int authFailuresHigh, int authFailuresCritical) {
            this(with(defaultValues(), Map.of(
                    VolumeSpikeRule.WARMUP_MINUTES, (double) volumeWarmupMinutes,
                    VolumeSpikeRule.FLOOR, (double) volumeFloor,
                    VolumeSpikeRule.FACTOR, volumeFactor,
                    VolumeSpikeRule.SMOOTHING, volumeSmoothing,
                    VolumeSpikeRule.LEAK_MIN_CLIENT_IPS, (double) leakMinClientIps,
                    VolumeSpikeRule.LEAK_MIN_COUNTRIES, (double) leakMinCountries,
                    AuthFailureBurstRule.HIGH, (double) authFailuresHigh,
                    AuthFailureBurstRule.CRITICAL, (double) authFailuresCritical)), Set.of(), Set.of());
        }

        private DetectionSettings(double[] values, Set<AlertRule> disabledRules, Set<AlertRule> enabledRules) {
            for (DetectionSetting setting : SETTINGS) {
                double value = values[indexOf(setting)];
                if (!setting.accepts(value)) {
                    throw new IllegalArgumentException(setting.rangeMessage(value));
                }
            }
            if (values[indexOf(AuthFailureBurstRule.CRITICAL)] < values[indexOf(AuthFailureBurstRule.HIGH)]) {
                throw new IllegalArgumentException("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL ("
                        + (long) values[indexOf(AuthFailureBurstRule.CRITICAL)]
                        + ") must not be below KEYWATCH_DETECT_AUTH_FAILURES_HIGH ("
                        + (long) values[indexOf(AuthFailureBurstRule.HIGH)] + ")");
            }
            this.values = values;
            this.disabledRules = disabledRules.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(disabledRules));
            this.enabledRules = enabledRules.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(enabledRules));
        }

        static DetectionSettings fromEnv(Env env) {
            double[] values = new double[SETTINGS.size()];
            for (DetectionSetting setting : SETTINGS) {
                values[indexOf(setting)] = read(env, setting);
            }
            return new DetectionSettings(values, rules(env, "KEYWATCH_DETECT_DISABLED_RULES"),
                    rules(env, "KEYWATCH_DETECT_ENABLED_RULES"));
        }

        /** A comma-separated list of rule names, any case. */
        private static Set<AlertRule> rules(Env env, String variable) {
            Set<AlertRule> rules = EnumSet.noneOf(AlertRule.class);
            String list = env.text(variable, "");
            for (String name : list.split(",")) {
                String trimmed = name.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                try {
                    rules.add(AlertRule.valueOf(trimmed.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(variable + " names an unknown rule '" + trimmed
                            + "', expected some of " + Arrays.toString(AlertRule.values()), e);
                }
            }
            return rules;
        }

        /** Range-checked as it is read (the constructor checks again) so that errors come in variable order. */
        private static double read(Env env, DetectionSetting setting) {
            double value = env.read(setting.envVar(), setting.defaultValue(), Double::parseDouble,
                    setting.integer() ? "a whole number" : "a number");
            if (!setting.accepts(value)) {
                throw new IllegalArgumentException(setting.rangeMessage(value));
            }
            return value;
        }

        private static double[] defaultValues() {
            double[] values = new double[SETTINGS.size()];
            for (DetectionSetting setting : SETTINGS) {
                values[indexOf(setting)] = setting.defaultValue();
            }
            return values;
        }

        private static double[] with(double[] values, Map<DetectionSetting, Double> changes) {
            double[] copy = values.clone();
            changes.forEach((setting, value) -> copy[indexOf(setting)] = value);
            return copy;
        }

        /** A copy with one setting changed; throws {@link IllegalArgumentException} when the value is out of range. */
        public DetectionSettings with(DetectionSetting setting, double value) {
            return new DetectionSettings(with(values, Map.of(setting, value)), disabledRules, enabledRules);
        }

        /** A copy with these rules switched off for every key. */
        public DetectionSettings withDisabledRules(Set<AlertRule> rules) {
            return new DetectionSettings(values, rules, enabledRules);
        }

        /** A copy with these off-by-default rules switched on for every key. */
        public DetectionSettings withEnabledRules(Set<AlertRule> rules) {
            return new DetectionSettings(values, disabledRules, rules);
        }

        /** Whether {@code KEYWATCH_DETECT_ENABLED_RULES} switches the (off-by-default) rule on for every key. */
        public boolean isEnabled(AlertRule rule) {
            return enabledRules.contains(rule);
        }

        public Set<AlertRule> enabledRules() {
            return enabledRules;
        }

        /** The global value of a setting. */
        public double get(DetectionSetting setting) {
            return values[indexOf(setting)];
        }

        /** Every setting there is, in the order errors and {@link #toString()} list them. */
        public static List<DetectionSetting> settings() {
            return SETTINGS;
        }

        /** By identity (built once, never changed): the hot path reads the rules' own constants, and this is cheapest. */
        private static Map<DetectionSetting, Integer> index(List<DetectionSetting> settings) {
            Map<DetectionSetting, Integer> index = new IdentityHashMap<>();
            for (int i = 0; i < settings.size(); i++) {
                index.put(settings.get(i), i);
            }
            return index;
        }

        /** Where the setting's value is; a setting no rule declares is a programming error. */
        private static int indexOf(DetectionSetting setting) {
            Integer index = INDEX.get(setting);
            if (index != null) {
                return index;
            }
            int equal = SETTINGS.indexOf(setting); // an equal copy of a declared setting (rare)
            if (equal < 0) {
                throw new IllegalArgumentException("no rule declares the setting " + setting.key()
                        + ": list it in its rule's declaration");
            }
            return equal;
        }

        public boolean isDisabled(AlertRule rule) {
            return disabledRules.contains(rule);
        }

        public Set<AlertRule> disabledRules() {
            return disabledRules;
        }

        public int volumeWarmupMinutes() {
            return (int) get(VolumeSpikeRule.WARMUP_MINUTES);
        }

        public int volumeFloor() {
            return (int) get(VolumeSpikeRule.FLOOR);
        }

        public double volumeFactor() {
            return get(VolumeSpikeRule.FACTOR);
        }

        public double volumeSmoothing() {
            return get(VolumeSpikeRule.SMOOTHING);
        }

        public int leakMinClientIps() {
            return (int) get(VolumeSpikeRule.LEAK_MIN_CLIENT_IPS);
        }

        public int leakMinCountries() {
            return (int) get(VolumeSpikeRule.LEAK_MIN_COUNTRIES);
        }

        public int authFailuresHigh() {
            return (int) get(AuthFailureBurstRule.HIGH);
        }

        public int authFailuresCritical() {
            return (int) get(AuthFailureBurstRule.CRITICAL);
        }

        /** How often (stream time) the hygiene scan looks at the registered keys. */
        public Duration hygieneScanInterval() {
            return Duration.ofMinutes((long) get(KeyHygieneScan.SCAN_MINUTES));
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof DetectionSettings that && Arrays.equals(values, that.values)
                    && disabledRules.equals(that.disabledRules) && enabledRules.equals(that.enabledRules);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(values) + disabledRules.hashCode()) + enabledRules.hashCode();
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder("DetectionSettings[");
            for (DetectionSetting setting : SETTINGS) {
                double value = get(setting);
                text.append(setting.key()).append('=')
                        .append(setting.integer() ? Long.toString((long) value) : Double.toString(value)).append(", ");
            }
            return text.append("disabledRules=").append(disabledRules).append(", enabledRules=").append(enabledRules)
                    .append(']').toString();
        }
    }
}
