package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads alerts from Kafka and hands each batch to an {@link AlertBatchHandler} (in the service: store, then apply
 * the revocation policy), at least once: offsets are committed only after the handler finished the batch (it is
 * idempotent, so a replay is harmless).
 * A record that is not a valid alert is logged with its offset and skipped; a failing database or Kafka makes the
 * consumer rewind to the batch and retry with back-off, so nothing is lost and nothing crashes the loop.
 */
public final class AlertConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Consumer<String, byte[]> consumer;
    private final String topic;
    private final JsonSerde<Alert> serde;
    private final AlertBatchHandler handler;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean started = new AtomicBoolean(false);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    public AlertConsumer(Consumer<String, byte[]> consumer, String topic, JsonSerde<Alert> serde,
                         AlertBatchHandler handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.serde = serde;
        this.handler = handler;
        this.thread = new Thread(this::run, "keywatch-alert-consumer");
    }

    public static AlertConsumer create(String bootstrapServers, String groupId, String topic, JsonSerde<Alert> serde,
                                       AlertBatchHandler handler) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(bootstrapServers, groupId),
                new StringDeserializer(), new ByteArrayDeserializer());
        return new AlertConsumer(consumer, topic, serde, handler);
    }

    /** Manual commits after storing; only committed transactional writes (the topology runs exactly-once). */
    public static Properties consumerProperties(String bootstrapServers, String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-alerts");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        return props;
    }

    public void start() {
        started.set(true);
        thread.start();
    }

    private void run() {
        Duration backoff = MIN_BACKOFF;
        try {
            consumer.subscribe(List.of(topic));
            while (running.get()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (records.isEmpty()) {
                    continue;
                }
                try {
                    process(records);
                    consumer.commitSync(nextOffsets(records));
                    backoff = MIN_BACKOFF;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // keep polling (so the group keeps us) but re-read this batch after a pause
                    LOG.warn("Could not process {} alert record(s), retrying in {} ms: {}",
                            records.count(), backoff.toMillis(), e.toString());
                    rewind(records);
                    pause(backoff);
                    backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (running.get()) {
                LOG.error("Alert consumer interrupted unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Alert consumer stopped on an unexpected error", e);
        } finally {
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("Error closing the alert consumer: {}", e.toString());
            }
            stopped.countDown();
        }
    }

    private void process(ConsumerRecords<String, byte[]> records) {
        List<Alert> alerts = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            parse(record).ifPresent(alerts::add);
        }
        if (!alerts.isEmpty()) {
            handler.handle(alerts);
        }
        LOG.debug("Handled {} alert(s) from {} record(s)", alerts.size(), records.count());
    }

    private Optional<Alert> parse(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            LOG.warn("Skipping empty alert record at {}-{}@{}", record.topic(), record.partition(), record.offset());
            return Optional.empty();
        }
        try {
            return Optional.of(serde.fromBytes(record.value()));
        } catch (SerializationException e) {
            LOG.warn("Skipping malformed alert record at {}-{}@{}: {}",
                    record.topic(), record.partition(), record.offset(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<String, byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> inPartition = records.records(partition);
            long last = inPartition.get(inPartition.size() - 1).offset();
            offsets.put(partition, new OffsetAndMetadata(last + 1));
        }
        return offsets;
    }

    private void rewind(ConsumerRecords<String, byte[]> records) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : records.partitions()) {
            if (!assigned.contains(partition)) {
                continue; // revoked meanwhile: its new owner resumes from the last committed offset
            }
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    private void pause(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        // short sleeps so that close() is not held up by a long back-off
        while (running.get() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops polling, finishes or abandons the current batch (uncommitted, so it is re-read) and closes. */
    @Override
    public void close() {
        running.set(false);
        if (!started.get()) {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
            return;
        }
        consumer.wakeup();
        try {
            if (thread.isAlive() && !stopped.await(15, TimeUnit.SECONDS)) {
                LOG.warn("Alert consumer did not stop within 15 s");
            }
            // the latch opens in the loop's finally block; the thread ends right after
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
