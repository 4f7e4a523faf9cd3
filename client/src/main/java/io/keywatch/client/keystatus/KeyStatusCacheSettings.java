package io.keywatch.client.keystatus;

import io.keywatch.events.Env;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.Topics;
import io.keywatch.events.signing.RecordSigningKeys;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * How a {@link KeyStatusCache} reaches the key-state topic.
 *
 * @param bootstrapServers  Kafka's bootstrap servers
 * @param topic             the compacted key-state topic
 * @param clientId          the consumer's {@code client.id}, so that brokers' metrics and logs name the service
 * @param pollTimeout       how long one poll waits for records; also bounds how quickly close() returns
 * @param consumerOverrides extra or replacement consumer properties (security, tuning), applied before the fixed ones
 * @param recordSigningKeys verify each key state ({@code KEYWATCH_RECORD_SIGNING_KEYS}); null when not configured, and
 *                          then the cache refuses to start: an unverified key state could un-revoke any key
 */
public record KeyStatusCacheSettings(
        String bootstrapServers, String topic, String clientId, Duration pollTimeout,
        Map<String, String> consumerOverrides, RecordSigningKeys recordSigningKeys) {

    public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    public static final String DEFAULT_CLIENT_ID = "keywatch-key-status-cache";
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(200);
    /** Environment variables with this prefix become consumer properties: {@code ..._SECURITY_PROTOCOL=SSL}. */
    public static final String CONSUMER_ENV_PREFIX = "KEYWATCH_KEY_STATUS_KAFKA_";

    public KeyStatusCacheSettings {
        Env.requireText(bootstrapServers, "bootstrapServers");
        Env.requireText(topic, "topic");
        Env.requireText(clientId, "clientId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative() || pollTimeout.isZero()) {
            throw new IllegalArgumentException("pollTimeout must be positive, got " + pollTimeout);
        }
        consumerOverrides = consumerOverrides == null ? Map.of() : Map.copyOf(consumerOverrides);
    }

    /** The default key-state topic at the given bootstrap servers. */
    public static KeyStatusCacheSettings of(String bootstrapServers) {
        return new KeyStatusCacheSettings(bootstrapServers, Topics.DEFAULTS.keyState(), DEFAULT_CLIENT_ID,
                DEFAULT_POLL_TIMEOUT, Map.of(), null);
    }

    /**
     * Reads {@code KEYWATCH_KAFKA_BOOTSTRAP} (default {@value #DEFAULT_BOOTSTRAP}), {@code KEYWATCH_TOPIC_KEY_STATE},
     * {@code KEYWATCH_KEY_STATUS_CLIENT_ID} (default {@value #DEFAULT_CLIENT_ID}), consumer properties from
     * {@code KEYWATCH_KAFKA_CONFIG_<PROPERTY>} with {@code KEYWATCH_KEY_STATUS_KAFKA_<PROPERTY>} over them (see
     * {@link KafkaClientConfig}: the settings the cache owns, such as {@code isolation.level}, are refused), and
     * {@code KEYWATCH_RECORD_SIGNING_KEYS}.
     */
    public static KeyStatusCacheSettings fromEnv(Map<String, String> env) {
        Map<String, String> overrides = KafkaClientConfig.fromEnv(env, CONSUMER_ENV_PREFIX).settings();
        Env vars = Env.of(env);
        return new KeyStatusCacheSettings(
                vars.text("KEYWATCH_KAFKA_BOOTSTRAP", DEFAULT_BOOTSTRAP),
                Topics.fromEnv(env).keyState(),
                vars.text("KEYWATCH_KEY_STATUS_CLIENT_ID", DEFAULT_CLIENT_ID),
                DEFAULT_POLL_TIMEOUT,
                overrides,
                RecordSigningKeys.fromEnv(env));
    }

    public KeyStatusCacheSettings withTopic(String newTopic) {
        return new KeyStatusCacheSettings(bootstrapServers, newTopic, clientId, pollTimeout, consumerOverrides,
                recordSigningKeys);
    }

    /** A copy that verifies key states with these keys (the services' {@code KEYWATCH_RECORD_SIGNING_KEYS}). */
    public KeyStatusCacheSettings withRecordSigningKeys(RecordSigningKeys keys) {
        return new KeyStatusCacheSettings(bootstrapServers, topic, clientId, pollTimeout, consumerOverrides, keys);
    }

    /**
     * The consumer's configuration: no group (partitions are assigned by hand and every instance reads the whole
     * topic), nothing committed, {@code read_committed} so that an aborted transaction's state never counts.
     */
    public Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(consumerOverrides);
        // fixed: the cache's correctness depends on these
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        // looking up a missing topic must not create it (uncompacted) behind the operator's back
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** Shows override names only: their values may be credentials. */
    @Override
    public String toString() {
        return "KeyStatusCacheSettings[bootstrapServers=" + bootstrapServers + ", topic=" + topic + ", clientId="
                + clientId + ", pollTimeout=" + pollTimeout.toMillis() + " ms, consumerOverrides="
                + new TreeSet<>(consumerOverrides.keySet()) + ", recordSigningKeys=" + recordSigningKeys + "]";
    }
}
