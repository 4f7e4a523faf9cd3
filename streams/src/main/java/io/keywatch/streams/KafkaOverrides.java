package io.keywatch.streams;

import io.keywatch.events.KafkaClientConfig;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Kafka Streams and client settings given as environment variables ({@link KafkaClientConfig}'s scheme) with a prefix: the rest of the name in lower case,
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

    /** The common {@value KafkaClientConfig#COMMON_PREFIX} settings, then {@code prefix}'s over them. */
    static KafkaClientConfig fromEnv(Map<String, String> env, String prefix) {
        Set<String> owned = new HashSet<>(OWNED);
        owned.addAll(GroupMembership.OWNED);
        return KafkaClientConfig.fromEnv(env, prefix, owned);
    }
}
