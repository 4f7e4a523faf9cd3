package io.keywatch.api.alerts;

import io.keywatch.events.DeadLetter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.keywatch.events.KafkaClientConfig;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends poison alert records to the alerts' dead-letter topic: key and value byte for byte as they arrived, the
 * record's own headers, and the {@link DeadLetter} headers (any of those three the record already carried is
 * replaced, so a forged record cannot pose as quarantined for another reason; {@code keywatch.dlq.replayed-from}
 * stays). Key, value or own headers beyond {@link DeadLetter#bound}'s bounds are left out, and the reason says so. {@link #send} returns only once the broker
 * acknowledged every record, so the consumer may then commit past them.
 */
public final class AlertDeadLetters implements AutoCloseable {

    /** The reason header's bound: a person's line, never the value. */
    public static final int MAX_REASON_CHARS = 500;
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    /** One record to quarantine and why; {@code reason} is already escaped and bounded. */
    public record Poison(ConsumerRecord<byte[], byte[]> record, IntakeCode reasonCode, String reason) {
    }

    private final Producer<byte[], byte[]> producer;
    private final String topic;

    public AlertDeadLetters(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    public static AlertDeadLetters create(String bootstrapServers, String clientId, String topic) {
        return create(bootstrapServers, KafkaClientConfig.NONE, clientId, topic);
    }

    /** With the operator's Kafka client settings (security, tuning); never over acknowledgements or idempotence. */
    public static AlertDeadLetters create(String bootstrapServers, KafkaClientConfig clientConfig, String clientId,
                                          String topic) {
        Properties props = new Properties();
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        clientConfig.applyTo(props);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new AlertDeadLetters(new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer()),
                topic);
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends every record and waits for all acknowledgements.
     *
     * @throws KafkaException (a retriable one on timeouts) when any was not acknowledged: nothing may be committed
     */
    public void send(List<Poison> poison) {
        if (poison.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(poison.size());
        for (Poison p : poison) {
            sent.add(producer.send(toDeadLetter(p)));
        }
        producer.flush();
        long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
        for (int i = 0; i < sent.size(); i++) {
            try {
                try {
                    await(sent.get(i), deadline);
                } catch (RecordTooLargeException e) {
                    // a broker or producer limit below the bounds: the same record would fail on every retry
                    await(producer.send(bare(poison.get(i))), deadline);
                }
            } catch (ExecutionException e) {
                throw e.getCause() instanceof KafkaException kafka ? kafka
                        : new KafkaException("dead-letter send to " + topic + " failed", e.getCause());
            } catch (TimeoutException e) {
                throw new org.apache.kafka.common.errors.TimeoutException(
                        "dead-letter send to " + topic + " not acknowledged within " + ACK_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new org.apache.kafka.common.errors.InterruptException(e);
            }
        }
    }

    /** Waits for one acknowledgement; a refusal as too large is thrown as itself. */
    private static void await(Future<RecordMetadata> future, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        try {
            future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RecordTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw e;
        }
    }

    ProducerRecord<byte[], byte[]> toDeadLetter(Poison poison) {
        ConsumerRecord<byte[], byte[]> record = poison.record();
        // key, value or own headers beyond DeadLetter's bounds are left out (the send would fail on every attempt)
        DeadLetter.Bounded bounded = DeadLetter.bound(record.key(), record.value(), record.headers());
        DeadLetter.mark(bounded.headers(), origin(record), poison.reason() + bounded.leftOut(),
                poison.reasonCode().code());
        return new ProducerRecord<>(topic, null, bounded.key(), bounded.value(), bounded.headers());
    }

    /** The last resort when even the bounded copy is refused as too large: keywatch's headers and nothing else. */
    ProducerRecord<byte[], byte[]> bare(Poison poison) {
        ConsumerRecord<byte[], byte[]> record = poison.record();
        String reason = poison.reason() + " (too large to dead-letter: key, value and headers left out)";
        return new ProducerRecord<>(topic, null, (byte[]) null, (byte[]) null,
                DeadLetter.mark(new RecordHeaders(), origin(record), reason, poison.reasonCode().code()));
    }

    private static String origin(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
