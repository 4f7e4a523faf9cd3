package io.keywatch.api.leastprivilege;

import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.kafka.Backoff;
import io.keywatch.api.kafka.ConsumerThread;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the key-scopes topic ({@code KeyScopeUsage}, signed by the topology) into the {@link KeyScopeStore}, at least
 * once: offsets are committed after the batch is stored (the store is idempotent, so a replay is harmless).
 *
 * <p>No record can hold up the others: a record that is unsigned, forged, signed for another topic, or not a sane
 * {@link KeyScopeUsage} ({@link KeyScopeRecords}) is refused at once, counted by reason and logged with its position
 * and reason only (never its key or value), and its offset is committed with the batch. When storing fails, the batch
 * is taken in again one record at a time: a record that fails alone while another one of the batch is stored is
 * refused ({@code store-failed}); when none can be stored, the database is to blame and the batch is retried after a
 * back-off, for as long as it takes. The report only reads this data, so none of it touches alerts or revocation.
 */
public final class KeyScopeConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KeyScopeConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final KeyScopeRecords records;
    private final KeyScopeStore store;
    private final KeyScopeIntakeStatus status;
    private final Clock clock;
    private final ConsumerThread thread;
    private final Backoff backoff = new Backoff();
    private boolean pollFailing;
    /** Per partition, the offset below which refusals were counted: a batch read again is not counted twice. */
    private final Map<TopicPartition, Long> refusalsCounted = new HashMap<>();

    /** The consumer owns {@code consumer} from now on and closes it. */
    public KeyScopeConsumer(Consumer<byte[], byte[]> consumer, String topic, KeyScopeRecords records,
                            KeyScopeStore store, KeyScopeIntakeStatus status, Clock clock) {
        this.consumer = consumer;
        this.topic = topic;
        this.records = records;
        this.store = store;
        this.status = status;
        this.clock = clock;
        this.thread = new ConsumerThread("keywatch-key-scopes-consumer", "Key-scopes consumer", LOG, consumer,
                this::closeConsumer, this::run);
    }

    /** With the operator's Kafka client settings; group {@code <groupId>-key-scopes}, apart from the alerts'. */
    public static KeyScopeConsumer create(String bootstrapServers, KafkaClientConfig clientConfig, String groupId,
                                          String topic, KeyScopeRecords records, KeyScopeStore store,
                                          KeyScopeIntakeStatus status, Clock clock) {
        // bytes: the signature is over the exact key and value
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerProperties(bootstrapServers, clientConfig, groupId(groupId)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return new KeyScopeConsumer(consumer, topic, records, store, status, clock);
    }

    /** The key-scopes consumer group of an API whose alert consumer group is {@code apiGroup}. */
    public static String groupId(String apiGroup) {
        return apiGroup + "-key-scopes";
    }

    /** Manual commits after storing; only committed transactional writes (the topology runs exactly-once). */
    public static Properties consumerProperties(String bootstrapServers, KafkaClientConfig clientConfig,
                                                String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        clientConfig.applyTo(props);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /** Binds the consumer's Kafka client metrics, tagged {@code client=key-scopes}. Before {@link #start()}. */
    public KeyScopeConsumer bindMetrics(MeterRegistry registry) {
        thread.bindMetrics(registry, "key-scopes");
        return this;
    }

    public KeyScopeConsumer start() {
        thread.start();
        return this;
    }

    private void run() {
        consumer.subscribe(List.of(topic));
        while (thread.running()) {
            ConsumerRecords<byte[], byte[]> batch;
            try {
                batch = consumer.poll(POLL_TIMEOUT);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                status.failing("poll: " + LoggedFailure.describe(e));
                LOG.warn("Polling the key-scopes topic failed, retrying in {} ms: {}", backoff.current().toMillis(),
                        LoggedFailure.describe(e));
                pollFailing = true;
                thread.pause(backoff);
                continue;
            }
            if (pollFailing) {
                pollFailing = false;
                status.recovered();
                backoff.reset();
            }
            if (!batch.isEmpty()) {
                handle(batch);
            }
        }
    }

    private void closeConsumer() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.warn("Error closing the key-scopes consumer: {}", LoggedFailure.describe(e));
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> batch) {
        List<ConsumerRecord<byte[], byte[]>> valid = new ArrayList<>(batch.count());
        List<KeyScopeUsage> usages = new ArrayList<>(batch.count());
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            try {
                usages.add(records.parse(record.topic(), record.key(), record.value(), record.headers()));
                valid.add(record);
            } catch (RefusedRecordException e) {
                refuse(record, e.reasonCode(), e.getMessage());
            }
        }
        try {
            store.upsert(usages, clock.instant());
            status.stored(usages.size());
        } catch (RuntimeException e) {
            LOG.warn("Could not store {} key-scopes record(s) as one batch ({}): taking them one at a time",
                    usages.size(), LoggedFailure.describe(e));
            if (!storeOneByOne(valid, usages)) {
                rewind(batch);
                thread.pause(backoff);
                return;
            }
        }
        backoff.reset();
        commit(batch);
    }

    /** False when no record could be stored alone: the database, not the records, is to blame. */
    private boolean storeOneByOne(List<ConsumerRecord<byte[], byte[]>> valid, List<KeyScopeUsage> usages) {
        List<Integer> failed = new ArrayList<>();
        RuntimeException last = null;
        for (int i = 0; i < usages.size(); i++) {
            try {
                store.upsert(List.of(usages.get(i)), clock.instant());
                status.stored(1);
            } catch (RuntimeException e) {
                failed.add(i);
                last = e;
            }
        }
        if (failed.isEmpty()) {
            return true;
        }
        if (failed.size() == usages.size()) {
            status.failing(LoggedFailure.describe(last));
            LOG.warn("No key-scopes record of the batch could be stored ({}): retrying in {} ms",
                    LoggedFailure.describe(last), backoff.current().toMillis());
            return false;
        }
        for (int i : failed) {
            refuse(valid.get(i), "store-failed", "the database refused this record while it stored others");
        }
        return true;
    }

    private void refuse(ConsumerRecord<byte[], byte[]> record, String reasonCode, String reason) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < refusalsCounted.getOrDefault(partition, -1L)) {
            return; // refused already, before the batch was rewound
        }
        refusalsCounted.put(partition, record.offset() + 1);
        status.refused(reasonCode);
        // position and reason only: the key may be a secret published by mistake, the value is not ours to echo
        LOG.warn("Refused key-scopes record {}-{}@{}: {}: {}", record.topic(), record.partition(), record.offset(),
                reasonCode, SafeText.escape(reason, 300));
    }

    private void commit(ConsumerRecords<byte[], byte[]> batch) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = batch.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            // stored already: the next commit covers these offsets, or they are re-read and stored idempotently
            LOG.warn("Could not commit {} key-scopes record(s) already stored: {}", batch.count(),
                    LoggedFailure.describe(e));
        }
    }

    /** Seeks every partition of the batch back to its first record, to read it again after the back-off. */
    private void rewind(ConsumerRecords<byte[], byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, batch.records(partition).get(0).offset());
            }
        }
    }

    /** Why the consumer thread ended; empty while it runs (or before it started). */
    public Optional<String> stoppedBecause() {
        return thread.stoppedBecause();
    }

    /** Stops polling, abandons the current batch (uncommitted, so it is re-read) and closes. */
    @Override
    public void close() {
        thread.close();
    }
}
