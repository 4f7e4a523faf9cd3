package io.keywatch.api.keys;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.signing.RecordSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes {@link KeyState} to the compacted key-state topic, keyed by key id so compaction keeps the latest, and
 * signed ({@link RecordSignatures}): every reader applies only the key states keywatch signed. The value is serialized
 * here, not by the producer, because the signature covers the exact bytes sent.
 */
public final class KafkaKeyStatePublisher implements KeyStatePublisher, AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final JsonSerde<KeyState> json = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
    private final RecordSignatures signatures;
    private volatile KafkaClientMetrics clientMetrics;

    public KafkaKeyStatePublisher(Producer<String, byte[]> producer, String topic, RecordSignatures signatures) {
        this.producer = producer;
        this.topic = topic;
        this.signatures = signatures;
    }

    public static KafkaKeyStatePublisher create(String bootstrapServers, String topic, RecordSignatures signatures) {
        return create(bootstrapServers, KafkaClientConfig.NONE, topic, signatures);
    }

    /** With the operator's Kafka client settings (security, tuning). */
    public static KafkaKeyStatePublisher create(String bootstrapServers, KafkaClientConfig clientConfig, String topic,
                                                RecordSignatures signatures) {
        return new KafkaKeyStatePublisher(new KafkaProducer<>(producerProperties(bootstrapServers, clientConfig),
                new StringSerializer(), new ByteArraySerializer()), topic, signatures);
    }

    /** Idempotent, fully acknowledged sends that give up within the send timeout rather than hang a request. */
    public static Properties producerProperties(String bootstrapServers) {
        return producerProperties(bootstrapServers, KafkaClientConfig.NONE);
    }

    /** As above, the operator's client settings over keywatch's tuning, never over acknowledgements or idempotence. */
    public static Properties producerProperties(String bootstrapServers, KafkaClientConfig clientConfig) {
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "keywatch-alerts-api-key-state");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 12_000);
        clientConfig.applyTo(props);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    @Override
    public void publish(KeyState state) {
        try {
            byte[] value = json.toBytes(state);
            Headers headers = signatures.sign(topic, state.keyId().getBytes(StandardCharsets.UTF_8), value,
                    new RecordHeaders());
            producer.send(new ProducerRecord<>(topic, null, state.keyId(), value, headers))
                    .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw failed(state, e.getCause());
        } catch (TimeoutException | RuntimeException e) {
            throw failed(state, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(state, e);
        }
    }

    private KeyStatePublishException failed(KeyState state, Throwable cause) {
        return new KeyStatePublishException("could not publish the " + state.status() + " state of key "
                + state.keyId() + " to " + topic + ": " + cause, cause);
    }

    /** Binds the producer's Kafka client metrics, tagged {@code client=key-state}; unbound on {@link #close()}. */
    public KafkaKeyStatePublisher bindMetrics(MeterRegistry registry) {
        KafkaClientMetrics bound = new KafkaClientMetrics(producer, Tags.of("client", "key-state"));
        bound.bindTo(registry);
        clientMetrics = bound;
        return this;
    }

    @Override
    public void close() {
        KafkaClientMetrics bound = clientMetrics;
        if (bound != null) {
            bound.close();
        }
        producer.close(Duration.ofSeconds(5));
    }
}
