package io.keywatch.api.support;

import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import io.keywatch.events.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes raw alert records and reads the key-state topic, for tests. What it publishes is signed as keywatch signs
 * it, with {@link TestServices#SIGNING_KEYS}, except by {@link #publishUnsigned}.
 */
public final class KafkaTestClients implements AutoCloseable {

    private static final RecordSignatures SIGNATURES = new RecordSignatures(TestServices.SIGNING_KEYS);

    private final String bootstrap;
    private final KafkaProducer<String, byte[]> producer;
    private final JsonSerde<Alert> alerts = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
    private final JsonSerde<KeyState> keyStates = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);

    public KafkaTestClients(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    public void publish(String topic, Alert alert) {
        publishRaw(topic, alert.keyId(), alerts.toBytes(alert));
    }

    /**
     * Sends every alert, then waits for all acknowledgements (much faster than one at a time). The topic's leaders
     * must serve it already ({@link TestTopics#create}, or a service's {@code TopicProvisioner}): on a topic created a
     * moment ago an idempotent producer's first batch can loop on OUT_OF_ORDER_SEQUENCE_NUMBER (KAFKA-15591).
     */
    public void publishAll(String topic, List<Alert> all) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>(all.size());
        for (Alert alert : all) {
            sent.add(producer.send(signed(topic, alert.keyId(), alerts.toBytes(alert))));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> future : sent) {
            await(future);
        }
    }

    private static void await(java.util.concurrent.Future<?> future) {
        try {
            future.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends every alert to one partition in ONE Kafka transaction, as the topology's exactly-once commit publishes a
     * burst: a read_committed consumer sees all of them at once, or none.
     */
    public void publishAtomically(String topic, int partition, List<Alert> all) {
        try (KafkaProducer<String, byte[]> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-burst-" + UUID.randomUUID()),
                new StringSerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            for (Alert alert : all) {
                ProducerRecord<String, byte[]> record = signed(topic, alert.keyId(), alerts.toBytes(alert));
                transactional.send(new ProducerRecord<>(topic, partition, record.key(), record.value(),
                        record.headers()));
            }
            transactional.commitTransaction();
        }
    }

    public void publishRaw(String topic, String key, byte[] value) {
        send(signed(topic, key, value));
    }

    /** As any process with write access to the topic can: no signature, or these forged headers. */
    public void publishUnsigned(String topic, String key, byte[] value, Headers headers) {
        send(new ProducerRecord<>(topic, null, key, value, headers));
    }

    private static ProducerRecord<String, byte[]> signed(String topic, String key, byte[] value) {
        Headers headers = SIGNATURES.sign(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value,
                new RecordHeaders());
        return new ProducerRecord<>(topic, null, key, value, headers);
    }

    private void send(ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The key's states on the topic, read from the start: waits up to 30 s for the first one, then keeps reading
     * for {@code settle} so that a duplicate would be seen too.
     */
    public List<KeyState> keyStates(String topic, String keyId, Duration settle) {
        List<KeyState> states = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(record.key())) {
                        states.add(keyStates.fromBytes(record.value()));
                    }
                }
                if (!states.isEmpty()) {
                    deadline = Math.min(deadline, System.nanoTime() + settle.toNanos());
                }
            }
        }
        return states;
    }

    /** The topic's records from the start (raw key and value), reading until {@code count} arrived or 30 s passed. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic, int count) {
        return records(topic, count, Duration.ofSeconds(30));
    }

    /** The topic's records from the start, reading until {@code count} arrived or {@code wait} passed. */
    public List<ConsumerRecord<byte[], byte[]>> records(String topic, int count, Duration wait) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + wait.toNanos();
            while (records.size() < count && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** The value of the record's last header of that name, as UTF-8; null without one. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
