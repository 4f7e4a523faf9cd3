package io.keywatch.client;

import io.keywatch.events.Env;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * How a {@link UsageEventPublisher} reaches Kafka.
 *
 * @param bootstrapServers  Kafka's bootstrap servers, {@code host:port[,host:port...]}
 * @param topics            topic names; the publisher writes to {@link Topics#usageEvents()}
 * @param clientId          the producer's {@code client.id}, so that brokers' metrics and logs name the service
 * @param producerOverrides extra or replacement producer properties (security, tuning), applied last
 */
public record PublisherSettings(
        String bootstrapServers, Topics topics, String clientId, Map<String, String> producerOverrides) {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_CLIENT_ID = "keywatch-publisher";
    /** Environment variables with this prefix become producer properties: {@code ..._LINGER_MS=20 -> linger.ms=20}. */
    public static final String PRODUCER_ENV_PREFIX = "KEYWATCH_PUBLISHER_KAFKA_";

    public PublisherSettings {
        Env.requireText(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Env.requireText(clientId, "clientId");
        producerOverrides = producerOverrides == null ? Map.of() : Map.copyOf(producerOverrides);
    }

    /** Default topics and client id, for the given bootstrap servers. */
    public static PublisherSettings of(String bootstrapServers) {
        return new PublisherSettings(bootstrapServers, Topics.DEFAULTS, DEFAULT_CLIENT_ID, Map.of());
    }

    /**
     * Reads {@code KEYWATCH_KAFKA_BOOTSTRAP} (default {@value #DEFAULT_BOOTSTRAP}), {@code KEYWATCH_TOPIC_*},
     * {@code KEYWATCH_PUBLISHER_CLIENT_ID} (default {@value #DEFAULT_CLIENT_ID}) and producer properties from
     * {@code KEYWATCH_KAFKA_CONFIG_<PROPERTY>} with {@code KEYWATCH_PUBLISHER_KAFKA_<PROPERTY>} over them (see
     * {@link KafkaClientConfig}: the settings keywatch owns, such as {@code acks}, are refused).
     */
    public static PublisherSettings fromEnv(Map<String, String> env) {
        // the publisher owns its client id and batching defaults only as defaults: those stay overridable
        Map<String, String> overrides = KafkaClientConfig.fromEnv(env, PRODUCER_ENV_PREFIX).settings();
        Env vars = Env.of(env);
        return new PublisherSettings(
                vars.text("KEYWATCH_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP),
                Topics.fromEnv(env),
                vars.text("KEYWATCH_PUBLISHER_CLIENT_ID", DEFAULT_CLIENT_ID),
                overrides);
    }

    /** A copy with one more producer property (replacing any earlier value for that name). */
    public PublisherSettings withProducerProperty(String name, String value) {
        Map<String, String> merged = new LinkedHashMap<>(producerOverrides);
        merged.put(Env.requireText(name, "name"), Objects.requireNonNull(value, "value"));
        return new PublisherSettings(bootstrapServers, topics, clientId, merged);
    }

    /**
     * The producer's configuration. Idempotence and {@code acks=all} so that a retry never duplicates or loses an
     * event; a short linger and lz4 compression because events are small and many, and batches compress well.
     */
    public Properties producerProperties() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(64 * 1024));
        props.putAll(producerOverrides);
        // the wire format is fixed: overrides cannot change how keys and values are encoded
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** Shows override names only: their values may be credentials ({@code sasl.jaas.config}, passwords). */
    @Override
    public String toString() {
        return "PublisherSettings[bootstrapServers=" + bootstrapServers + ", topics=" + topics + ", clientId="
                + clientId + ", producerOverrides=" + new TreeSet<>(producerOverrides.keySet()) + "]";
    }
}
