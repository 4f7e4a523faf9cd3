package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Topics;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.AuthFailureBurstRule;
import io.keywatch.streams.detect.DormantKeyRule;
import io.keywatch.streams.detect.ExpiredKeyUseRule;
import io.keywatch.streams.detect.IpFanoutRule;
import io.keywatch.streams.detect.RateLimitRule;
import io.keywatch.streams.detect.ScopeViolationRule;
import io.keywatch.streams.detect.VolumeSpikeRule;
import io.keywatch.streams.errors.DeadLetteringDeserializationExceptionHandler;
import io.keywatch.streams.errors.DeadLetteringProcessingExceptionHandler;
import io.keywatch.streams.errors.SkipUnserializableRecordHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsSettingsTest {

    @Test
    void usesDocumentedDefaultsWhenNothingIsSet() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of());

        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(settings.applicationId()).isEqualTo("keywatch-streams");
        assertThat(settings.stateDir()).isEqualTo(Path.of("./keywatch-data/streams"));
        assertThat(settings.topics()).isEqualTo(Topics.DEFAULTS);
        assertThat(settings.partitions()).isEqualTo(3);
        assertThat(settings.threads()).isEqualTo(1);
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(settings.usageRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(settings.windowGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.maxFutureSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.cacheMegabytes()).isEqualTo(64);
        assertThat(settings.hotKeys()).isEqualTo(50_000);
        assertThat(settings.kafkaOverrides().settings()).isEmpty();
        assertThat(settings.detection()).isEqualTo(DetectionSettings.DEFAULTS);
        assertThat(settings.secretFingerprintKey()).isNull();
        assertThat(DetectionSettings.DEFAULTS).isEqualTo(new DetectionSettings(10, 100, 3.0, 0.1, 20, 3, 20, 100));
    }

    @Test
    void readsTheSecretFingerprintKeyWithoutEverQuotingIt() {
        String key = java.util.Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of("KEYWATCH_SECRET_FINGERPRINT_KEY", key));
        assertThat(settings.secretFingerprintKey())
                .isEqualTo(io.keywatch.events.secrets.FingerprintKey.parseBase64(key));
        assertThat(settings.toString()).doesNotContain(key);

        String tooShort = java.util.Base64.getEncoder().encodeToString("sixteen byte key".getBytes());
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_SECRET_FINGERPRINT_KEY", tooShort)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_SECRET_FINGERPRINT_KEY").hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining(tooShort).hasNoCause();
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_SECRET_FINGERPRINT_KEY", "s3cr3t!")))
                .hasMessageContaining("not valid base64").hasMessageNotContaining("s3cr3t");
    }

    @Test
    void passesKafkaSettingsThroughAndSizesTheRecordCache() {
        Properties props = StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_STREAMS_CACHE_MB", "128",
                "KEYWATCH_STREAMS_CONFIG_PRODUCER_COMPRESSION_TYPE", " lz4 ",
                "KEYWATCH_STREAMS_CONFIG_ROCKSDB_CONFIG_SETTER", "com.example.Tuning")).toProperties();

        assertThat(props.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG)).isEqualTo(128L << 20);
        assertThat(props.get("producer.compression.type")).isEqualTo("lz4");
        assertThat(props.get("rocksdb.config.setter")).isEqualTo("com.example.Tuning");
    }

    @Test
    void refusesAUsageRetentionShorterThanTheFutureSkewPlusAWindowAndItsGrace() {
        // one future event within the skew would move the usage store's time past the current events' minutes
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "60")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES")
                .hasMessageContaining("KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS")
                .hasMessageContaining("at least 62 minutes");
        assertThat(StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "62")).usageRetention())
                .isEqualTo(Duration.ofMinutes(62));
        assertThat(StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "2",
                "KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS", "30")).usageRetention()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesToLetThePassThroughSwapTheDeadLetteringHandlersOrTheirTopic() {
        for (String name : new String[] {"KEYWATCH_STREAMS_CONFIG_PROCESSING_EXCEPTION_HANDLER",
                "KEYWATCH_STREAMS_CONFIG_DESERIALIZATION_EXCEPTION_HANDLER",
                "KEYWATCH_STREAMS_CONFIG_PRODUCTION_EXCEPTION_HANDLER",
                "KEYWATCH_STREAMS_CONFIG_ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME"}) {
            assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of(name, "anything")))
                    .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
        }
    }

    @Test
    void takesTheCommonKafkaClientSettingsAndLetsItsOwnWinWithoutShowingValues() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_CONFIG_SECURITY_PROTOCOL", "SASL_SSL",
                "KEYWATCH_KAFKA_CONFIG_SASL_MECHANISM", "SCRAM-SHA-512",
                "KEYWATCH_KAFKA_CONFIG_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"s\" password=\"hunter2\";",
                "KEYWATCH_STREAMS_CONFIG_SASL_MECHANISM", "SCRAM-SHA-256"));
        var props = settings.toProperties();
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-256");
        assertThat(props.getProperty("sasl.jaas.config")).contains("hunter2");
        assertThat(settings.toString()).contains("sasl.jaas.config").doesNotContain("hunter2");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_KAFKA_CONFIG_APPLICATION_ID", "other")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_KAFKA_CONFIG_APPLICATION_ID");
    }

    @Test
    void refusesToLetThePassThroughChangeWhatKeywatchOwns() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_STREAMS_CONFIG_PROCESSING_GUARANTEE", "at_least_once")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_CONFIG_PROCESSING_GUARANTEE")
                .hasMessageContaining("processing.guarantee");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_CACHE_MB", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_CACHE_MB");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_HOT_KEYS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_HOT_KEYS");
    }

    @Test
    void readsEveryOverrideFromTheEnvironment() {
        Map<String, String> env = Map.ofEntries(
                Map.entry("KEYWATCH_KAFKA_BOOTSTRAP", "kafka:29092"),
                Map.entry("KEYWATCH_STREAMS_APPLICATION_ID", "kw-test"),
                Map.entry("KEYWATCH_STREAMS_STATE_DIR", "/var/lib/keywatch"),
                Map.entry("KEYWATCH_TOPIC_ALERTS", "custom.alerts"),
                Map.entry("KEYWATCH_TOPIC_PARTITIONS", "6"),
                Map.entry("KEYWATCH_STREAMS_THREADS", "2"),
                Map.entry("KEYWATCH_STREAMS_COMMIT_INTERVAL_MS", "250"),
                Map.entry("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", "30"),
                Map.entry("KEYWATCH_STREAMS_GRACE_SECONDS", "10"),
                Map.entry("KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS", "60"),
                Map.entry("KEYWATCH_STREAMS_HOT_KEYS", "1000"),
                Map.entry("KEYWATCH_DETECT_VOLUME_WARMUP_MINUTES", "3"),
                Map.entry("KEYWATCH_DETECT_VOLUME_FLOOR", "50"),
                Map.entry("KEYWATCH_DETECT_VOLUME_FACTOR", "4"),
                Map.entry("KEYWATCH_DETECT_VOLUME_SMOOTHING", "0.25"),
                Map.entry("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS", "10"),
                Map.entry("KEYWATCH_DETECT_LEAK_MIN_COUNTRIES", "2"),
                Map.entry("KEYWATCH_DETECT_AUTH_FAILURES_HIGH", "5"),
                Map.entry("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL", " 50 "));

        StreamsSettings settings = StreamsSettings.fromEnv(env);

        assertThat(settings.bootstrapServers()).isEqualTo("kafka:29092");
        assertThat(settings.applicationId()).isEqualTo("kw-test");
        assertThat(settings.stateDir()).isEqualTo(Path.of("/var/lib/keywatch"));
        assertThat(settings.topics().alerts()).isEqualTo("custom.alerts");
        assertThat(settings.topics().usageEvents()).isEqualTo(Topics.DEFAULTS.usageEvents());
        assertThat(settings.partitions()).isEqualTo(6);
        assertThat(settings.threads()).isEqualTo(2);
        assertThat(settings.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.usageRetention()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.windowGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxFutureSkew()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.hotKeys()).isEqualTo(1000);
        assertThat(settings.detection()).isEqualTo(new DetectionSettings(3, 50, 4.0, 0.25, 10, 2, 5, 50));
    }

    @Test
    void rejectsMalformedNumbersNamingTheVariable() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_FLOOR", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_VOLUME_FLOOR")
                .hasMessageContaining("'lots'");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_FACTOR", "5x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_VOLUME_FACTOR");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_TOPIC_PARTITIONS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_TOPIC_PARTITIONS");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_COMMIT_INTERVAL_MS", "-5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_STREAMS_COMMIT_INTERVAL_MS");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_SMOOTHING", "NaN")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_VOLUME_SMOOTHING");
    }

    @Test
    void rejectsInconsistentThresholds() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_DETECT_AUTH_FAILURES_HIGH", "50", "KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL", "10")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_SMOOTHING", "1.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_VOLUME_SMOOTHING");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS", "1000")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS");
    }

    @Test
    void blankValuesKeepTheDefault() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_FLOOR", " ",
                "KEYWATCH_KAFKA_BOOTSTRAP", ""));

        assertThat(settings.detection().volumeFloor()).isEqualTo(100);
        assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
    }

    @Test
    void propertiesAskForExactlyOnceAnExplicitStateDirAndNonStallingHandlers() {
        Properties props = StreamsSettings.fromEnv(Map.of("KEYWATCH_STREAMS_STATE_DIR", "/data/kw")).toProperties();

        assertThat(props)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "keywatch-streams")
                .containsEntry(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092")
                .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.STATE_DIR_CONFIG, Path.of("/data/kw").toAbsolutePath().toString())
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L)
                .containsEntry(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED)
                .containsEntry(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetteringDeserializationExceptionHandler.class)
                .containsEntry(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                        DeadLetteringProcessingExceptionHandler.class)
                .containsEntry(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "keywatch.usage-events.dlq")
                .containsEntry(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        SkipUnserializableRecordHandler.class);
        // Kafka itself must accept the configuration (no deprecated or unknown values)
        StreamsConfig config = new StreamsConfig(props);
        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
    }

    @Test
    void readsEveryDetectorSettingAndTheDisabledRules() {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_DETECT_RATE_LIMIT_MINUTES", "5",
                "KEYWATCH_DETECT_SCOPE_DENIED_RATIO", "0.2",
                "KEYWATCH_DETECT_EXPIRED_GRACE_SECONDS", "0",
                "KEYWATCH_DETECT_HYGIENE_SCAN_MINUTES", "60",
                "KEYWATCH_DETECT_DISABLED_RULES", " key_in_url , UNKNOWN_KEY,",
                "KEYWATCH_DETECT_ENABLED_RULES", "volume_drop",
                "KEYWATCH_DETECT_VOLUME_PROBABILITY", "1e-8",
                "KEYWATCH_DETECT_VOLUME_BELOW_FLOOR_SEVERITY", "-1"));

        DetectionSettings detection = settings.detection();
        assertThat(detection.get(RateLimitRule.MINUTES)).isEqualTo(5);
        assertThat(detection.get(ScopeViolationRule.DENIED_RATIO)).isEqualTo(0.2);
        assertThat(detection.get(ExpiredKeyUseRule.GRACE_SECONDS)).isZero();
        assertThat(detection.hygieneScanInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(detection.get(DormantKeyRule.DAYS)).isEqualTo(30);
        assertThat(detection.disabledRules()).containsExactlyInAnyOrder(AlertRule.KEY_IN_URL, AlertRule.UNKNOWN_KEY);
        assertThat(detection.enabledRules()).containsExactly(AlertRule.VOLUME_DROP);
        assertThat(detection.isEnabled(AlertRule.VOLUME_DROP)).isTrue();
        assertThat(detection.get(VolumeSpikeRule.PROBABILITY)).isEqualTo(1e-8);
        assertThat(detection.get(VolumeSpikeRule.BELOW_FLOOR_SEVERITY)).isEqualTo(-1);
        assertThat(DetectionSettings.DEFAULTS.enabledRules()).isEmpty();
    }

    @Test
    void namesEachSettingsVariableAfterItsPerKeyName() {
        assertThat(VolumeSpikeRule.FLOOR.envVar()).isEqualTo("KEYWATCH_DETECT_VOLUME_FLOOR");
        assertThat(AuthFailureBurstRule.CRITICAL.key()).isEqualTo("authFailures.critical");
        assertThat(AuthFailureBurstRule.CRITICAL.envVar()).isEqualTo("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL");
        assertThat(VolumeSpikeRule.LEAK_MIN_CLIENT_IPS.envVar()).isEqualTo("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS");
        assertThat(IpFanoutRule.WARMUP_MINUTES.envVar())
                .isEqualTo("KEYWATCH_DETECT_IP_FANOUT_WARMUP_MINUTES");
        for (DetectionSetting setting : DetectionSettings.settings()) {
            assertThat(setting.accepts(setting.defaultValue())).as(setting.key()).isTrue();
        }
    }

    @Test
    void rejectsOutOfRangeDetectorSettingsAndUnknownRules() {
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_RATE_LIMIT_MINUTES", "2.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_RATE_LIMIT_MINUTES").hasMessageContaining("whole number");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_SCOPE_DENIED_RATIO", "1.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_SCOPE_DENIED_RATIO");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_DISABLED_RULES", "VOLUME,KEY_UNUSED")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_DISABLED_RULES").hasMessageContaining("'VOLUME'");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_ENABLED_RULES", "DROP")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_ENABLED_RULES").hasMessageContaining("'DROP'");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_PROBABILITY", "0.5")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_DETECT_VOLUME_PROBABILITY");
        assertThatThrownBy(() -> StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_BELOW_FLOOR_SEVERITY", "4")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Every user of the settings (the service, backtest, TopologyTestDriver tests) hands the key to the handlers. */
    @Test
    void handsTheFingerprintKeyToTheDeadLetterHandlers() {
        io.keywatch.events.secrets.FingerprintKey key = io.keywatch.events.secrets.FingerprintKey.random();
        Properties props = StreamsSettings.fromEnv(Map.of()).withSecretFingerprintKey(key).toProperties();
        assertThat(props.get(io.keywatch.streams.redact.DeadLetterRedactor.CONFIG)).isSameAs(key);
        assertThat(StreamsSettings.fromEnv(Map.of()).withSecretFingerprintKey(null).toProperties())
                .doesNotContainKey(io.keywatch.streams.redact.DeadLetterRedactor.CONFIG);
    }
}
