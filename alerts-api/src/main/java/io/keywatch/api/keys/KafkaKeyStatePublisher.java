package io.keywatch.api.keys;

import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import java.time.Duration;
import io.keywatch.events.KafkaClientConfig;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes {@link KeyState} to the compacted key-state topic, keyed by key id so compaction keeps the latest. */
public final class KafkaKeyStatePublisher implements KeyStatePublisher, AutoCloseable {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final Producer<String, KeyState> producer;
    private final String topic;

    public KafkaKeyStatePublisher(Producer<String, KeyState> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static KafkaKeyStatePublisher create(String bootstrapServers, String topic) {
        return create(bootstrapServers, KafkaClientConfig.NONE, topic);
    }

    /** With the operator's Kafka client settings (security, tuning). */
    public static KafkaKeyStatePublisher create(String bootstrapServers, KafkaClientConfig clientConfig, String topic) {
        return new KafkaKeyStatePublisher(new KafkaProducer<>(producerProperties(bootstrapServers, clientConfig),
                new StringSerializer(), new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class).serializer()), topic);
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
            producer.send(new ProducerRecord<>(topic, state.keyId(), state))
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

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
