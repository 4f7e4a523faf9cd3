package io.keywatch.api.alerts;

import io.keywatch.api.alerts.AlertDeadLetters.Poison;
import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.kafka.Backoff;
import io.keywatch.api.kafka.ConsumerThread;
import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.SafeText;
import io.keywatch.events.signing.RecordSignatures;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import io.keywatch.events.KafkaClientConfig;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads alerts from Kafka and hands each batch to an {@link AlertBatchHandler} (in the service: store, then apply
 * the revocation policy), at least once: offsets are committed only after the handler finished the batch (it is
 * idempotent, so a replay is harmless) and the batch's poison records were acknowledged by the dead-letter topic.
 *
 * <p>No record can hold up the others. A record that keywatch did not sign ({@link RecordSignatures}: unsigned,
 * forged, signed by a key not listed, or a signature copied from another record) or that is not a valid alert (not
 * JSON, not an {@link Alert}, or refused by the {@link AlertValidator}) is quarantined at once, never stored or acted
 * on. When the handler fails, the
 * {@link FailureClassifier} decides: a transient failure (database or Kafka away) rewinds the batch and retries it
 * with back-off for as long as it takes, as before; a permanent one means some record of the batch is poison, so
 * the batch is taken in again one record at a time and each record that fails permanently on its own is
 * quarantined, while the others are stored. Quarantined records keep their key and value and carry the
 * {@code keywatch.dlq.*} headers; {@link IntakeStatus} counts them for /health.
 *
 * <p>What is committed is the consumer's position, not the last record's offset + 1: the topic is written
 * transactionally, so each partition ends with a commit marker that the position skips; committing
 * {@code offset + 1} would leave a lag of one per partition for ever. The position is committed only when every
 * record below it was handled or quarantined (after a batch, or after an empty poll). After each poll the lag per
 * partition (end of what may be read, read_committed, minus committed) goes to {@link IntakeStatus} for /health,
 * from the consumer's own fetch metadata: no request to the brokers.
 */
public final class AlertConsumer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AlertConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final JsonSerde<Alert> serde;
    private final RecordSignatures signatures;
    private final AlertValidator validator = new AlertValidator();
    private final FailureClassifier classifier = new FailureClassifier();
    private final AlertBatchHandler handler;
    private final IntakeProbe probe;
    /**
     * The first offsets of the batch the environment was last blamed for, and how many times in a row: the probe
     * could be the broken part (see {@link #PROBE_DOUBTED_AFTER}).
     */
    private Map<TopicPartition, Long> lastBlamed = Map.of();
    private int blamedInARow;
    /**
     * After this many blames of the environment in a row for the same records, one pass goes without the probe's
     * verdict: the batch is halved down to single records as before the probe, so that if any record can be stored
     * the bad ones are quarantined, however many there are. A broken probe then costs a few retries, not the
     * partition; a real outage one pass of about 2n calls every few retries.
     */
    static final int PROBE_DOUBTED_AFTER = 3;
    private final AlertDeadLetters deadLetters;
    private final IntakeStatus status;
    private final ConsumerThread thread;
    private final Backoff backoff = new Backoff();
    private boolean pollFailing;
    /** What this consumer committed last, per partition it owns (consumer thread only). */
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private long lagFailures;

    /** The consumer owns {@code consumer} and {@code deadLetters} from now on and closes both. */
    public AlertConsumer(Consumer<byte[], byte[]> consumer, String topic, JsonSerde<Alert> serde,
                         AlertBatchHandler handler, IntakeProbe probe, AlertDeadLetters deadLetters,
                         IntakeStatus status, RecordSignatures signatures) {
        this.consumer = consumer;
        this.signatures = Objects.requireNonNull(signatures, "signatures");
        this.topic = topic;
        this.serde = serde;
        this.handler = handler;
        this.probe = probe;
        this.deadLetters = deadLetters;
        this.status = status;
        this.thread = new ConsumerThread("keywatch-alert-consumer", "Alert consumer", LOG, consumer, this::closeQuietly,
                this::run);
    }

    /** How long the group waits for an instance that stopped heartbeating before its partitions move. */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    public static AlertConsumer create(String bootstrapServers, String groupId, String topic, String deadLetterTopic,
                                       JsonSerde<Alert> serde, AlertBatchHandler handler, IntakeProbe probe,
                                       IntakeStatus status, RecordSignatures signatures) {
        return create(bootstrapServers, KafkaClientConfig.NONE, groupId, topic, deadLetterTopic, serde, handler, probe,
                status, signatures);
    }

    /** With the operator's Kafka client settings (security, tuning) for the consumer and its dead-letter producer. */
    public static AlertConsumer create(String bootstrapServers, KafkaClientConfig clientConfig, String groupId,
                                       String topic, String deadLetterTopic, JsonSerde<Alert> serde,
                                       AlertBatchHandler handler, IntakeProbe probe, IntakeStatus status,
                                       RecordSignatures signatures) {
        // keys as bytes: a quarantined record keeps its key exactly, even one that is not UTF-8
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                consumerProperties(bootstrapServers, clientConfig, groupId),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        AlertDeadLetters deadLetters = AlertDeadLetters.create(bootstrapServers, clientConfig,
                groupId + "-alerts-dlq", deadLetterTopic);
        return new AlertConsumer(consumer, topic, serde, handler, probe, deadLetters, status, signatures);
    }

    /** Manual commits after storing; only committed transactional writes (the topology runs exactly-once). */
    public static Properties consumerProperties(String bootstrapServers, String groupId) {
        return consumerProperties(bootstrapServers, KafkaClientConfig.NONE, groupId);
    }

    /** As above, the operator's client settings over keywatch's tuning, never over what the intake relies on. */
    public static Properties consumerProperties(String bootstrapServers, KafkaClientConfig clientConfig,
                                                String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, groupId + "-alerts");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // a large poll lets the intake take a batch's HIGH and CRITICAL alerts before the hygiene burst ahead of them
        // (AlertIntake: urgent first, 500 per transaction); 8 MiB a partition holds ~6,000 alerts of ~1.3 KB
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        // an instance that dies without leaving the group (SIGKILL, a lost host) holds its partitions until its
        // session expires: 10 s instead of Kafka's 45 s bounds that intake blackout for the instance that takes over
        // (heartbeats are sent by a background thread, so a long store retry does not end the session)
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3);
        clientConfig.applyTo(props);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    public void start() {
        thread.start();
    }

    private void run() {
        consumer.subscribe(List.of(topic), new ForgetCommitted());
        while (thread.running()) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL_TIMEOUT);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                pollFailed(e);
                pollFailing = true;
                continue;
            }
            if (pollFailing) {
                pollFailing = false;
                status.resetRetry();
                backoff.reset();
            }
            if (records.isEmpty()) {
                commitPositionsPastMarkers();
                measureLag();
                continue;
            }
            try {
                processBatch(records);
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                IntakeFailure failure = classifier.classify(e);
                if (failure.isPermanent()) {
                    LOG.warn("A batch of {} alert record(s) failed permanently ({}): taking it in by halves "
                            + "to quarantine the poison", records.count(), failure.reasonCode());
                    processByHalves(records);
                } else {
                    retryLater(records, Map.of(), failure, e);
                }
            }
            measureLag();
        }
    }

    /** The common path: valid alerts as one batch, invalid records to the dead-letter topic, then commit. */
    private void processBatch(ConsumerRecords<byte[], byte[]> records) {
        List<Alert> alerts = new ArrayList<>(records.count());
        List<Poison> poison = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                alerts.add(parse(record));
            } catch (InvalidAlertException | UnverifiedAlertException | SerializationException e) {
                poison.add(poison(record, classifier.classify(e)));
            }
        }
        if (!alerts.isEmpty()) {
            handler.handle(alerts);
        }
        // after the handler: had it failed, the one-at-a-time pass would quarantine these again
        quarantine(poison);
        // from here on the batch is done: a failed commit must not rewind it, or its poison would be quarantined
        // (and counted) again; the next commit covers these offsets, or they are re-read and stored idempotently
        try {
            commit(positions(records.partitions()));
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Could not commit {} alert record(s) already handled: {}", records.count(), LoggedFailure.describe(e));
        }
        status.stored(alerts.size());
        backoff.reset();
        LOG.debug("Handled {} alert(s) from {} record(s)", alerts.size(), records.count());
    }

    /**
     * After a permanent batch failure: the batch halved, each half taken in as a batch, a half that fails permanently
     * halved again, down to single records; those that fail permanently alone are quarantined. One poison record among
     * thousands costs about twice log2(n) batches, not n transactions, and each batch still stores its urgent alerts
     * first. A transient failure stops the pass: what was done is committed, the rest is re-read after the back-off.
     *
     * <p>Who is to blame, the record or the environment (a missing grant, a broken migration, a bug)? A record
     * stored in this pass proves the environment works, so the records failing around it are quarantined at once.
     * Otherwise, at the first record that fails alone, the {@link IntakeProbe} decides: it takes a known-good alert
     * through the intake path (rolled back); if that works, the environment is proven and the record is poison and
     * quarantined; if it fails too, the rest of the batch decides once ({@link #restTakenIn}); refused as well,
     * halving stops there (going on would cost about 2n calls when every record fails alone) and the batch is
     * retried with back-off, nothing lost and no suspect quarantined; the same records blamed
     * {@value #PROBE_DOUBTED_AFTER} times in a row get one pass without the probe's verdict. The validator's
     * verdict ({@code invalid-alert}) is always the record's: such records never call for the probe, and are
     * quarantined even when the batch is retried, as far as no suspect record precedes them in their partition.
     */
    private void processByHalves(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, Long> done = new HashMap<>();
        List<Poison> heldBack = new ArrayList<>();
        // a record stored in this pass, or the probe's known-good alert, proves the environment works
        boolean environmentWorks = false;
        List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>(records.count());
        records.forEach(all::add);
        boolean trustProbe = !(blamedInARow >= PROBE_DOUBTED_AFTER && firstNotDone(all, Map.of()).equals(lastBlamed));
        if (!trustProbe) {
            blamedInARow = 0;
        }
        IntakeFailure firstSuspect = null;
        // in order: the front of the queue is always the earliest records not yet done
        Deque<List<ConsumerRecord<byte[], byte[]>>> pending = new ArrayDeque<>();
        pushHalves(pending, all);
        while (!pending.isEmpty()) {
            if (!thread.running()) {
                break;
            }
            List<ConsumerRecord<byte[], byte[]>> part = pending.pollFirst();
            IntakeFailure failure = handleTogether(part);
            if (failure != null && !failure.isPermanent()) {
                // the held-back records are re-read and judged again after the back-off
                retryLater(records, done, failure, failure.decisive());
                return;
            }
            if (failure == null) {
                environmentWorks = true;
                if (!quarantineOrRetry(records, done, heldBack)) {
                    return;
                }
                part.forEach(record -> markDone(done, record));
                continue;
            }
            if (part.size() > 1) {
                pushHalves(pending, part);
                continue;
            }
            heldBack.add(poison(part.get(0), failure));
            if (firstSuspect == null && failure.reasonCode() != IntakeCode.INVALID_ALERT) {
                firstSuspect = failure;
            }
            if (!environmentWorks && failure.reasonCode() != IntakeCode.INVALID_ALERT && trustProbe) {
                // ask now, not after the pass: when the environment is to blame, every record would fail alone
                // and halving on would cost about 2n calls to learn what the probe tells in one
                Throwable sick = probeFailure();
                List<ConsumerRecord<byte[], byte[]>> rest = sick == null ? List.of() : restTakenIn(pending);
                if (rest == null) {
                    blameEnvironment(records, done, heldBack, failure, sick);
                    return;
                }
                environmentWorks = true;
                if (!rest.isEmpty()) {
                    // the suspect first (it precedes the rest in its partition), then the rest is done
                    if (!quarantineOrRetry(records, done, heldBack)) {
                        return;
                    }
                    rest.forEach(record -> markDone(done, record));
                    continue;
                }
            }
            if (environmentWorks && !quarantineOrRetry(records, done, heldBack)) {
                return;
            }
        }
        if (!environmentWorks && firstSuspect != null && thread.running()) {
            // halved without the probe and nothing stored: no evidence against the records, so none is quarantined
            blameEnvironment(records, done, heldBack, firstSuspect, firstSuspect.decisive());
            return;
        }
        // what is still held back is invalid-alert records, the records' own fault whatever the environment does
        if (!heldBack.isEmpty() && thread.running() && !quarantineOrRetry(records, done, heldBack)) {
            return;
        }
        try {
            commit(done);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            // the records are done; the next batch's commit covers their offsets (or they are re-read, idempotently)
            LOG.warn("Could not commit {} alert record(s) taken in by halves: {}", records.count(), LoggedFailure.describe(e));
        }
        status.resetRetry();
        backoff.reset();
        rewind(records, done); // only when stopped by close(): the records not done stay uncommitted
    }

    /**
     * A record failed alone and a known-good alert fails too: the environment is to blame. The held-back
     * {@code invalid-alert} records that no suspect precedes are quarantined; the batch is retried from its first
     * record not done, after the back-off.
     */
    private void blameEnvironment(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> done,
                                  List<Poison> heldBack, IntakeFailure suspect, Throwable sick) {
        LOG.warn("An alert record failed alone ({}) and nothing shows the environment works ({}): blaming the "
                + "environment, not the records; retrying the batch", signature(suspect),
                FailureReasons.of(classifier.classify(sick)));
        if (!quarantineOrRetry(records, done, invalidBeforeAnySuspect(heldBack))) {
            return;
        }
        // where the retry starts: the same records blamed again and again may mean the probe is what is broken
        Map<TopicPartition, Long> blamed = firstNotDone(records, done);
        blamedInARow = blamed.equals(lastBlamed) ? blamedInARow + 1 : 1;
        lastBlamed = blamed;
        retryLater(records, done, suspect.asTransient(), suspect.decisive());
    }

    /**
     * The probe failed, but it is one alert on its own path and can be wrong where the records are fine: the rest of
     * the batch (after the suspect, in order), taken in as one batch, decides once. When it is stored, the
     * environment works and the suspect is poison; otherwise the environment is to blame. One call more, so that a
     * broken probe cannot hold a partition up for good behind one bad record. Returns the records it stored (the
     * caller marks them done once the suspect is quarantined), or null when the environment is to blame.
     */
    private List<ConsumerRecord<byte[], byte[]>> restTakenIn(Deque<List<ConsumerRecord<byte[], byte[]>>> pending) {
        List<ConsumerRecord<byte[], byte[]>> rest = new ArrayList<>();
        pending.forEach(rest::addAll);
        if (rest.isEmpty() || handleTogether(rest) != null) {
            return null;
        }
        pending.clear();
        return rest;
    }

    /** The record is taken in (stored or quarantined): the partition's commit may move past it. */
    private static void markDone(Map<TopicPartition, Long> done, ConsumerRecord<byte[], byte[]> record) {
        done.put(new TopicPartition(record.topic(), record.partition()), record.offset() + 1);
    }

    /** Per partition of {@code records}, the first offset not done: where the retry starts. */
    private static Map<TopicPartition, Long> firstNotDone(Iterable<ConsumerRecord<byte[], byte[]>> records,
                                                         Map<TopicPartition, Long> done) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (record.offset() >= done.getOrDefault(partition, Long.MIN_VALUE)) {
                first.merge(partition, record.offset(), Math::min);
            }
        }
        return first;
    }

    /** Null when the probe took a known-good alert in; otherwise what it failed with. */
    private Throwable probeFailure() {
        try {
            probe.check();
            return null;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * The held-back {@code invalid-alert} records that no suspect precedes in their partition: quarantining them
     * leaves no gap in the offsets to commit.
     */
    private static List<Poison> invalidBeforeAnySuspect(List<Poison> heldBack) {
        Set<TopicPartition> blocked = new java.util.HashSet<>();
        List<Poison> invalid = new ArrayList<>();
        for (Poison p : heldBack) {
            TopicPartition partition = new TopicPartition(p.record().topic(), p.record().partition());
            if (p.reasonCode() != IntakeCode.INVALID_ALERT) {
                blocked.add(partition);
            } else if (!blocked.contains(partition)) {
                invalid.add(p);
            }
        }
        return invalid;
    }

    /**
     * Quarantines the held-back poison (in order) and marks it done; false when the dead-letter topic did not take
     * it, and the batch is then left for a retry from its first record not done.
     */
    private boolean quarantineOrRetry(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> done,
                                      List<Poison> heldBack) {
        for (Poison p : heldBack) {
            try {
                quarantine(List.of(p));
            } catch (WakeupException | InterruptException e) {
                throw e;
            } catch (RuntimeException e) {
                // the dead-letter topic did not take it: keep it, and all after it, for the next attempt
                retryLater(records, done, classifier.classify(e), e);
                return false;
            }
            markDone(done, p.record());
        }
        heldBack.clear();
        return true;
    }

    /** What makes two failures "the same": the code, and the SQLState or else the exception type. */
    private static String signature(IntakeFailure failure) {
        Throwable decisive = failure.decisive();
        String what = decisive instanceof java.sql.SQLException sql ? "SQLState " + sql.getSQLState()
                : decisive.getClass().getName();
        return failure.reasonCode().code() + ", " + what;
    }

    /** A failed poll (broker or group trouble, an authorization change): counted, backed off, tried again. */
    private void pollFailed(RuntimeException e) {
        if (!thread.running()) {
            return;
        }
        IntakeFailure failure = classifier.classify(e);
        long attempts = status.failedTransiently(failure);
        if (Long.bitCount(attempts) == 1) {
            LOG.error("Polling the alert topic failed ({} attempt(s) so far, {}); retrying in {} ms", attempts,
                    failure.reasonCode(), backoff.current().toMillis(), e);
        }
        thread.pause(backoff);
    }

    /** Puts the two halves of {@code part} at the front of the queue, the earlier half first. */
    private static void pushHalves(Deque<List<ConsumerRecord<byte[], byte[]>>> pending,
                                   List<ConsumerRecord<byte[], byte[]>> part) {
        int middle = part.size() / 2;
        pending.addFirst(part.subList(middle, part.size()));
        if (middle > 0) {
            pending.addFirst(part.subList(0, middle));
        }
    }

    /** Null when every record (one or many) was taken in, as one batch; otherwise how the batch (or a record's parsing) failed. */
    private IntakeFailure handleTogether(List<ConsumerRecord<byte[], byte[]>> part) {
        try {
            List<Alert> alerts = new ArrayList<>(part.size());
            for (ConsumerRecord<byte[], byte[]> record : part) {
                alerts.add(parse(record));
            }
            handler.handle(alerts);
            status.stored(alerts.size());
            return null;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            return classifier.classify(e);
        }
    }

    private Alert parse(ConsumerRecord<byte[], byte[]> record) {
        // first: whatever a record says, keywatch acts on it (stores it, revokes its key) only if keywatch wrote it
        RecordSignatures.Verdict verdict =
                signatures.verify(record.topic(), record.key(), record.value(), record.headers());
        if (!verdict.valid()) {
            throw new UnverifiedAlertException(verdict);
        }
        if (record.value() == null) {
            throw new InvalidAlertException("the record has no value");
        }
        return validator.validate(serde.fromBytes(record.value()));
    }

    private Poison poison(ConsumerRecord<byte[], byte[]> record, IntakeFailure failure) {
        return new Poison(record, failure.reasonCode(), FailureReasons.of(failure));
    }

    private void quarantine(List<Poison> poison) {
        if (poison.isEmpty()) {
            return;
        }
        deadLetters.send(poison);
        for (Poison p : poison) {
            status.quarantined(p.reasonCode());
            ConsumerRecord<byte[], byte[]> record = p.record();
            LOG.warn("Quarantined alert record {}-{}@{} (key {}) to {}: {}: {}", record.topic(), record.partition(),
                    record.offset(), printableKey(record.key()), deadLetters.topic(), p.reasonCode(), p.reason());
        }
    }

    /** Commits what was done, rewinds each partition to its first record not done, and waits the back-off. */
    private void retryLater(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> done,
                            IntakeFailure failure, Throwable e) {
        long attempts = status.failedTransiently(failure);
        if (failure.known()) {
            LOG.warn("Could not process {} alert record(s) ({}), retrying in {} ms: {}", records.count(),
                    failure.reasonCode(), backoff.current().toMillis(), FailureReasons.of(failure));
        } else if (Long.bitCount(attempts) == 1) {
            // unknown failures are retried like transient ones (see FailureClassifier): loud, with the trace
            LOG.error("Could not process {} alert record(s) on a failure no rule classifies ({} attempt(s) so far); "
                    + "treating it as transient and retrying in {} ms", records.count(), attempts, backoff.current().toMillis(), e);
        }
        try {
            commit(done);
        } catch (WakeupException | InterruptException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            LOG.warn("Could not commit the alert records already handled; they will be read again: {}", LoggedFailure.describe(ex));
        }
        rewind(records, done);
        thread.pause(backoff);
    }

    private void commit(Map<TopicPartition, Long> done) {
        if (done.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        done.forEach((partition, next) -> offsets.put(partition, new OffsetAndMetadata(next)));
        consumer.commitSync(offsets);
        boolean advanced = false;
        for (Map.Entry<TopicPartition, Long> entry : done.entrySet()) {
            Long before = committed.put(entry.getKey(), entry.getValue());
            advanced |= before == null || before < entry.getValue();
        }
        if (advanced) {
            status.progressed();
        }
    }

    /**
     * The position of each partition of a handled batch: past its last record and past any transaction marker the
     * consumer already skipped. Only called when every record the last poll returned is done.
     */
    private Map<TopicPartition, Long> positions(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition partition : partitions) {
            knownPosition(partition).ifPresent(position -> positions.put(partition, position));
        }
        return positions;
    }

    /**
     * After an empty poll every record below the position is done (a batch is handled, or rewound to its first
     * record not done, before the next poll), so a position beyond what was committed means the consumer skipped
     * markers (or aborted records) since: commit it, so that a caught-up consumer reads zero lag.
     */
    private void commitPositionsPastMarkers() {
        Map<TopicPartition, Long> ahead = new HashMap<>();
        positions(consumer.assignment()).forEach((partition, position) -> {
            Long last = committed.get(partition);
            if (last == null || last < position) {
                ahead.put(partition, position);
            }
        });
        try {
            commit(ahead);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Could not commit the alert consumer's position past transaction markers: {}", LoggedFailure.describe(e));
        }
    }

    /** The partition's position when the consumer knows it without asking the brokers. */
    private OptionalLong knownPosition(TopicPartition partition) {
        try {
            return OptionalLong.of(consumer.position(partition, Duration.ZERO));
        } catch (TimeoutException e) {
            return OptionalLong.empty(); // not fetched yet (just assigned): nothing to commit or measure
        }
    }

    /** Lag per assigned partition, from the consumer's cached end offsets: never a request to the brokers. */
    private void measureLag() {
        try {
            Map<Integer, Long> lag = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                OptionalLong position = knownPosition(partition);
                OptionalLong behindPosition = consumer.currentLag(partition);
                if (position.isEmpty() || behindPosition.isEmpty()) {
                    continue; // no fetch answer yet: unknown, not zero
                }
                long end = position.getAsLong() + behindPosition.getAsLong();
                long base = committed.getOrDefault(partition, position.getAsLong());
                lag.put(partition.partition(), Math.max(0, end - base));
            }
            status.measured(lag);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (RuntimeException e) {
            // health reads a stale figure (and says how old it is); the consumer itself goes on
            if (Long.bitCount(++lagFailures) == 1) {
                LOG.warn("Could not measure the alert consumer's lag ({} time(s) so far): {}", lagFailures,
                        LoggedFailure.describe(e));
            }
        }
    }

    /** A partition that moves to another consumer takes its committed offset with it. */
    private final class ForgetCommitted implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            committed.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // the position of a new partition starts at its committed offset: nothing to remember yet
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            committed.keySet().removeAll(partitions);
        }
    }

    /** Seeks every partition of the batch to its first record not done. */
    private void rewind(ConsumerRecords<byte[], byte[]> records, Map<TopicPartition, Long> done) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (TopicPartition partition : records.partitions()) {
            if (!assigned.contains(partition)) {
                continue; // revoked meanwhile: its new owner resumes from the last committed offset
            }
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            long first = inPartition.get(0).offset();
            long last = inPartition.get(inPartition.size() - 1).offset();
            long next = done.getOrDefault(partition, first);
            if (next <= last) {
                consumer.seek(partition, next);
            }
        }
    }

    private static String printableKey(byte[] key) {
        return key == null ? "none" : SafeText.quote(new String(key, StandardCharsets.UTF_8));
    }

    /**
     * Binds the consumer's own Kafka client metrics (fetch rate, records-lag-max, ...) into {@code registry}, tagged
     * {@code client=alert-intake}; unbound when the consumer closes. Before {@link #start()}.
     */
    public AlertConsumer bindMetrics(MeterRegistry registry) {
        thread.bindMetrics(registry, "alert-intake");
        return this;
    }

    private void closeQuietly() {
        try {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        } catch (RuntimeException e) {
            LOG.warn("Error closing the alert consumer: {}", LoggedFailure.describe(e));
        }
        try {
            deadLetters.close();
        } catch (RuntimeException e) {
            LOG.warn("Error closing the alert dead-letter producer: {}", LoggedFailure.describe(e));
        }
    }

    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Why the consumer thread ended; empty while it runs (or before it started). */
    public Optional<String> stoppedBecause() {
        return thread.stoppedBecause();
    }

    public String deadLetterTopic() {
        return deadLetters.topic();
    }

    /** Stops polling, finishes or abandons the current batch (uncommitted, so it is re-read) and closes. */
    @Override
    public void close() {
        thread.close();
    }
}
