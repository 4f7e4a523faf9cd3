package io.keywatch.streams;

import io.keywatch.events.Topics;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.errors.SkipUnserializableRecordHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;

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
 *   <tr><td>KEYWATCH_TOPIC_PARTITIONS (for topics this service creates)</td><td>3</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_THREADS</td><td>1</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_COMMIT_INTERVAL_MS</td><td>100</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES (per-minute aggregates kept)</td><td>120</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_GRACE_SECONDS (how late an event may arrive for its minute)</td><td>30</td></tr>
 *   <tr><td>KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS (events further ahead of the clock go to the DLQ)</td><td>3600</td></tr>
 *   <tr><td>KEYWATCH_DETECT_* (see {@link DetectionSettings})</td><td></td></tr>
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
        DetectionSettings detection) {

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
        if (partitions <= 0 || threads <= 0) {
            throw new IllegalArgumentException("partitions and threads must be greater than 0");
        }
        if (usageRetention.compareTo(WINDOW_SIZE.plus(windowGrace)) < 0) {
            throw new IllegalArgumentException("usage retention (" + usageRetention
                    + ") must cover at least one window plus its grace (" + WINDOW_SIZE.plus(windowGrace) + ")");
        }
    }

    /** Reads the settings from environment variables; unset ones keep their defaults (see the class comment). */
    public static StreamsSettings fromEnv(Map<String, String> env) {
        EnvValues values = new EnvValues(env);
        return new StreamsSettings(
                values.text("KEYWATCH_KAFKA_BOOTSTRAP", "localhost:9092"),
                values.text("KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-streams"),
                Path.of(values.text("KEYWATCH_STREAMS_STATE_DIR", "./keywatch-data/streams")),
                Topics.fromEnv(env),
                values.positiveInt("KEYWATCH_TOPIC_PARTITIONS", 3),
                values.positiveInt("KEYWATCH_STREAMS_THREADS", 1),
                Duration.ofMillis(values.positiveInt("KEYWATCH_STREAMS_COMMIT_INTERVAL_MS", 100)),
                Duration.ofMinutes(values.positiveInt("KEYWATCH_STREAMS_USAGE_RETENTION_MINUTES", 120)),
                Duration.ofSeconds(values.positiveInt("KEYWATCH_STREAMS_GRACE_SECONDS", 30)),
                Duration.ofSeconds(values.positiveInt("KEYWATCH_STREAMS_MAX_FUTURE_SKEW_SECONDS", 3600)),
                DetectionSettings.fromEnv(values));
    }

    public StreamsSettings withBootstrapServers(String servers) {
        return new StreamsSettings(servers, applicationId, stateDir, topics, partitions, threads, commitInterval,
                usageRetention, windowGrace, maxFutureSkew, detection);
    }

    public StreamsSettings withStateDir(Path dir) {
        return new StreamsSettings(bootstrapServers, applicationId, dir, topics, partitions, threads, commitInterval,
                usageRetention, windowGrace, maxFutureSkew, detection);
    }

    public StreamsSettings withDetection(DetectionSettings settings) {
        return new StreamsSettings(bootstrapServers, applicationId, stateDir, topics, partitions, threads,
                commitInterval, usageRetention, windowGrace, maxFutureSkew, settings);
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
        // bad input is dead-lettered by the topology itself; these only catch what slips past it
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkipUnserializableRecordHandler.class);
        return props;
    }

    /**
     * Detector thresholds, each from a {@code KEYWATCH_DETECT_*} variable.
     *
     * @param volumeWarmupMinutes    KEYWATCH_DETECT_VOLUME_WARMUP_MINUTES (10): completed minutes (quiet minutes
     *                               count as zero) a key's baseline needs before VOLUME_SPIKE may fire
     * @param volumeFloor            KEYWATCH_DETECT_VOLUME_FLOOR (100): requests per minute below which no
     *                               spike is raised, however small the baseline
     * @param volumeFactor           KEYWATCH_DETECT_VOLUME_FACTOR (5.0): a spike is at least this many times the
     *                               baseline
     * @param volumeDeviations       KEYWATCH_DETECT_VOLUME_DEVIATIONS (6.0): ... and at least this many mean
     *                               absolute deviations above it
     * @param volumeSmoothing        KEYWATCH_DETECT_VOLUME_SMOOTHING (0.1): weight of the newest minute in the
     *                               moving averages (0 &lt; value &lt;= 1)
     * @param leakMinClientIps       KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS (20): a spike from at least this many
     *                               distinct client IPs ...
     * @param leakMinCountries       KEYWATCH_DETECT_LEAK_MIN_COUNTRIES (3): ... and this many countries in the
     *                               minute looks like a leaked key: CRITICAL instead of HIGH
     * @param authFailuresHigh       KEYWATCH_DETECT_AUTH_FAILURES_HIGH (20): INVALID_SECRET results for one key in
     *                               one minute that raise a HIGH AUTH_FAILURE_BURST
     * @param authFailuresCritical   KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL (100): ... and a CRITICAL one
     */
    public record DetectionSettings(
            int volumeWarmupMinutes,
            int volumeFloor,
            double volumeFactor,
            double volumeDeviations,
            double volumeSmoothing,
            int leakMinClientIps,
            int leakMinCountries,
            int authFailuresHigh,
            int authFailuresCritical) {

        public static final DetectionSettings DEFAULTS = new DetectionSettings(10, 100, 5.0, 6.0, 0.1, 20, 3, 20, 100);

        public DetectionSettings {
            if (volumeWarmupMinutes <= 0 || volumeFloor <= 0 || leakMinClientIps <= 0 || leakMinCountries <= 0
                    || authFailuresHigh <= 0) {
                throw new IllegalArgumentException("detector thresholds must be greater than 0");
            }
            if (!(volumeFactor > 0) || !(volumeDeviations > 0)) {
                throw new IllegalArgumentException("volume factor and deviations must be greater than 0");
            }
            if (!(volumeSmoothing > 0) || volumeSmoothing > 1) {
                throw new IllegalArgumentException(
                        "KEYWATCH_DETECT_VOLUME_SMOOTHING must be in (0, 1], got " + volumeSmoothing);
            }
            if (authFailuresCritical < authFailuresHigh) {
                throw new IllegalArgumentException("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL (" + authFailuresCritical
                        + ") must not be below KEYWATCH_DETECT_AUTH_FAILURES_HIGH (" + authFailuresHigh + ")");
            }
            if (leakMinClientIps > MinuteAggregate.MAX_CLIENT_IPS) {
                throw new IllegalArgumentException("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS (" + leakMinClientIps
                        + ") must not exceed the " + MinuteAggregate.MAX_CLIENT_IPS + " client IPs counted per minute");
            }
        }

        static DetectionSettings fromEnv(EnvValues values) {
            return new DetectionSettings(
                    values.positiveInt("KEYWATCH_DETECT_VOLUME_WARMUP_MINUTES", DEFAULTS.volumeWarmupMinutes),
                    values.positiveInt("KEYWATCH_DETECT_VOLUME_FLOOR", DEFAULTS.volumeFloor),
                    values.positiveDouble("KEYWATCH_DETECT_VOLUME_FACTOR", DEFAULTS.volumeFactor),
                    values.positiveDouble("KEYWATCH_DETECT_VOLUME_DEVIATIONS", DEFAULTS.volumeDeviations),
                    values.positiveDouble("KEYWATCH_DETECT_VOLUME_SMOOTHING", DEFAULTS.volumeSmoothing),
                    values.positiveInt("KEYWATCH_DETECT_LEAK_MIN_CLIENT_IPS", DEFAULTS.leakMinClientIps),
                    values.positiveInt("KEYWATCH_DETECT_LEAK_MIN_COUNTRIES", DEFAULTS.leakMinCountries),
                    values.positiveInt("KEYWATCH_DETECT_AUTH_FAILURES_HIGH", DEFAULTS.authFailuresHigh),
                    values.positiveInt("KEYWATCH_DETECT_AUTH_FAILURES_CRITICAL", DEFAULTS.authFailuresCritical));
        }
    }
}
