package io.keywatch.streams;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams and client settings given as environment variables with a prefix: the rest of the name in lower case,
 * {@code _} read as {@code .} (KEYWATCH_STREAMS_CONFIG_PRODUCER_LINGER_MS=5 sets {@code producer.linger.ms}). For the
 * tuning keywatch has no setting of its own for; the settings keywatch owns cannot be changed this way.
 */
final class KafkaOverrides {

    /** Owned by keywatch's own variables, or (the guarantee) by what the topology's correctness rests on. */
    private static final Set<String> OWNED = Set.of(StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG,
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            StreamsConfig.NUM_STREAM_THREADS_CONFIG, StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG,
            // no record may be dropped silently: the dead-lettering handlers and their topic are not negotiable
            StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG,
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);

    private KafkaOverrides() {
    }

    static Map<String, String> fromEnv(Map<String, String> env, String prefix) {
        Map<String, String> overrides = new TreeMap<>();
        for (Map.Entry<String, String> entry : env.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(prefix) || name.length() == prefix.length() || entry.getValue() == null) {
                continue;
            }
            String key = name.substring(prefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (OWNED.contains(key) || GroupMembership.OWNED.contains(key)) {
                throw new IllegalArgumentException(name + " would set " + key + ", which keywatch sets itself: use its "
                        + "KEYWATCH_* variable instead (see the README's configuration table)");
            }
            overrides.put(key, entry.getValue().trim());
        }
        return overrides;
    }
}
