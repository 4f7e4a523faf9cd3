package io.keywatch.api.alerts;

import io.keywatch.api.support.TestServices;
import io.keywatch.events.signing.RecordSignatures;
import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestTopics;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.Alert;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The consumer loop's guarantees against real Kafka, with a batch handler that can fail like a database. */
@ExtendWith(SharedInfra.class)
class AlertConsumerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String bootstrap;
    private static Admin admin;
    private static KafkaTestClients kafka;

    private final JsonSerde<Alert> serde = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
    private final List<List<String>> handled = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger handlerCalls = new AtomicInteger();
    private final AtomicInteger handlerCallsAtFirstProbe = new AtomicInteger(-1);
    private final IntakeStatus status = new IntakeStatus(Clock.systemUTC());
    private volatile String poisonId = "none";
    private volatile String secondPoisonId = "none";
    private volatile String transientOnceAlone = "none";
    /** A bug, or a misconfigured database, that makes every record fail "permanently" alone. */
    private volatile boolean broken;
    /** The probe's own path broken (its alert, a check of its own) while the records' path works. */
    private volatile boolean probeBroken;
    private String topic;
    private String group;
    private AlertConsumer consumer;

    @BeforeAll
    static void connect(EmbeddedKafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        kafka = new KafkaTestClients(bootstrap);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
        admin.close();
    }

    @BeforeEach
    void createTopicAndConsumer() throws ExecutionException, InterruptedException {
        topic = "consumer-test-" + UUID.randomUUID();
        group = "consumer-test-" + UUID.randomUUID();
        TestTopics.create(admin, List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)));
        consumer = AlertConsumer.create(bootstrap, group, topic, topic + ".dlq", serde, alerts -> {
            handlerCalls.incrementAndGet();
            if (broken) {
                throw new IllegalArgumentException("a bug in the intake code");
            }
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("database unavailable");
            }
            if (alerts.size() == 1 && alerts.get(0).id().equals(transientOnceAlone)) {
                transientOnceAlone = "none";
                throw new RuntimeException(new SQLException("terminating connection due to administrator command",
                        "57P01"));
            }
            if (alerts.stream().anyMatch(a -> a.id().equals(poisonId) || a.id().equals(secondPoisonId))) {
                // what Jdbi throws when PostgreSQL refuses a NUL in a text
                throw new RuntimeException("Unable to execute statement",
                        new SQLException("ERROR: unsupported Unicode escape sequence \\u0000", "22P05"));
            }
            handled.add(alerts.stream().map(Alert::id).toList());
        }, this::probe, status, new RecordSignatures(TestServices.SIGNING_KEYS));
    }

    /** What the service's probe sees: a known-good alert fails only when the environment (here: the bug) does. */
    private void probe() {
        handlerCallsAtFirstProbe.compareAndSet(-1, handlerCalls.get());
        if (broken || probeBroken) {
            throw new IllegalArgumentException("a bug in the intake code");
        }
    }

    @AfterEach
    void closeConsumer() {
        consumer.close();
    }

    @Test
    void commitsOnlyAfterTheBatchIsHandled() {
        publish(alert("a-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 1);
        assertThat(handled).containsExactly(List.of("a-1"));
    }

    @Test
    void skipsMalformedRecordsAndKeepsGoing() {
        kafka.publishRaw(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
        kafka.publishRaw(topic, "k", null);
        publish(alert("a-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("a-1");
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void quarantinesUnparseableRecordsWithTheirReasonAndOriginAndKeepsKeyAndValue() {
        kafka.publishRaw(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
        kafka.publishRaw(topic, null, null);
        publish(alert("a-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        List<ConsumerRecord<byte[], byte[]>> quarantined = kafka.records(topic + ".dlq", 2);
        assertThat(quarantined).hasSize(2);
        ConsumerRecord<byte[], byte[]> notJson = quarantined.get(0);
        assertThat(notJson.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(notJson.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaTestClients.header(notJson, DeadLetter.REASON_CODE_HEADER)).isEqualTo("invalid-alert");
        assertThat(KafkaTestClients.header(notJson, DeadLetter.REASON_HEADER))
                .isEqualTo("not an alert: JSON error JsonParseException at line 1, column 2");
        assertThat(KafkaTestClients.header(notJson, DeadLetter.ORIGIN_HEADER)).isEqualTo(topic + "-0@0");
        assertThat(quarantined.get(1).value()).isNull();
        assertThat(KafkaTestClients.header(quarantined.get(1), DeadLetter.ORIGIN_HEADER)).isEqualTo(topic + "-0@1");
        assertThat(status.quarantinedRecords()).isEqualTo(2);
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("a-1");
    }

    @Test
    void quarantinesOnlyTheRecordThatTheHandlerRejectsPermanentlyAndStoresTheOthers() {
        poisonId = "a-2";
        publish(alert("a-1", "k", Severity.LOW, Instant.now()));
        publish(alert("a-2", "k", Severity.LOW, Instant.now()));
        publish(alert("a-3", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).contains("a-1", "a-3").doesNotContain("a-2");
        List<ConsumerRecord<byte[], byte[]>> quarantined = kafka.records(topic + ".dlq", 1);
        assertThat(quarantined).singleElement().satisfies(record -> {
            assertThat(serde.fromBytes(record.value()).id()).isEqualTo("a-2");
            assertThat(KafkaTestClients.header(record, DeadLetter.REASON_CODE_HEADER)).isEqualTo("database-rejected");
            assertThat(KafkaTestClients.header(record, DeadLetter.REASON_HEADER))
                    .isEqualTo("the database refused it: SQLState 22P05");
            assertThat(KafkaTestClients.header(record, DeadLetter.ORIGIN_HEADER)).isEqualTo(topic + "-0@1");
        });
        assertThat(status.lastQuarantine()).get().extracting(IntakeStatus.Quarantine::reasonCode)
                .isEqualTo(IntakeCode.DATABASE_REJECTED);
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void aTransientFailureWhileIsolatingThePoisonLosesNothingAndQuarantinesItOnce() {
        poisonId = "b-2";
        transientOnceAlone = "b-3";
        publish(alert("b-1", "k", Severity.LOW, Instant.now()));
        publish(alert("b-2", "k", Severity.LOW, Instant.now()));
        publish(alert("b-3", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).contains("b-1", "b-3").doesNotContain("b-2");
        assertThat(transientOnceAlone).as("the transient failure happened").isEqualTo("none");
        assertThat(kafka.records(topic + ".dlq", 2, Duration.ofSeconds(3))).as("quarantined exactly once").hasSize(1);
        assertThat(status.quarantinedRecords()).isEqualTo(1);
    }

    @Test
    void aRecordAtTheBrokersSizeLimitIsQuarantinedWithoutItsValueAndDoesNotHoldUpThePartition() throws Exception {
        // as large as the broker takes: keywatch's headers would push it past the producer's max.request.size, and
        // RecordTooLargeException on every retry held up the partition for good
        byte[] huge = new byte[1_048_400];
        java.util.Arrays.fill(huge, (byte) 'x');
        publishLarge("k", huge);
        publish(alert("c-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 2);
        assertThat(handled).flatExtracting(ids -> ids).contains("c-1");
        ConsumerRecord<byte[], byte[]> dead = kafka.records(topic + ".dlq", 1).get(0);
        assertThat(dead.value()).isNull();
        assertThat(dead.key()).isEqualTo("k".getBytes(StandardCharsets.UTF_8));
        assertThat(KafkaTestClients.header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("invalid-alert");
        assertThat(KafkaTestClients.header(dead, DeadLetter.REASON_HEADER))
                .endsWith(" (value of 1048400 bytes left out)");
    }

    @Test
    void aDeadLetterTopicWithASmallerLimitGetsTheBareDeadLetterInsteadOfStallingThePartition() throws Exception {
        String small = topic + ".small-dlq";
        TestTopics.create(admin, List.of(new NewTopic(small, 1, (short) 1)
                .configs(Map.of("max.message.bytes", "100000"))));
        consumer.close();
        consumer = AlertConsumer.create(bootstrap, group, topic, small, serde, alerts ->
                handled.add(alerts.stream().map(Alert::id).toList()), this::probe, status,
                new RecordSignatures(TestServices.SIGNING_KEYS));
        byte[] big = new byte[300_000]; // below the bounds, above what this topic takes
        java.util.Arrays.fill(big, (byte) 'x');
        publishLarge("k", big);
        publish(alert("d-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 2);
        ConsumerRecord<byte[], byte[]> dead = kafka.records(small, 1).get(0);
        assertThat(dead.key()).isNull();
        assertThat(dead.value()).isNull();
        assertThat(KafkaTestClients.header(dead, DeadLetter.REASON_HEADER))
                .endsWith(" (too large to dead-letter: key, value and headers left out)");
        assertThat(KafkaTestClients.header(dead, DeadLetter.ORIGIN_HEADER)).isEqualTo(topic + "-0@0");
        assertThat(handled).flatExtracting(ids -> ids).contains("d-1");
    }

    @Test
    void aBatchWhoseRecordsAllFailAloneTheSameWayIsRetriedNotQuarantined() {
        broken = true;
        publish(alert("e-1", "k", Severity.LOW, Instant.now()));
        publish(alert("e-2", "k", Severity.LOW, Instant.now()));
        publish(alert("e-3", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> status.retrying().map(IntakeStatus.Retrying::attempts).orElse(0L) >= 2);
        assertThat(status.retrying()).get().extracting(IntakeStatus.Retrying::reasonCode)
                .isEqualTo(IntakeCode.INTAKE_ERROR);
        assertThat(status.quarantinedRecords()).isZero();
        broken = false; // the fix is deployed, the grant restored

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).contains("e-1", "e-2", "e-3");
        assertThat(kafka.records(topic + ".dlq", 1, Duration.ofSeconds(2))).as("nothing quarantined").isEmpty();
        assertThat(status.retrying()).isEmpty();
    }

    @Test
    void aLonePoisonRecordIsQuarantinedAtOnceWhenAKnownGoodAlertCanBeStored() {
        // alone in its poll, it used to be "the whole batch failing alike" and waited for another alert to arrive
        poisonId = "p-1";
        publish(alert("p-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 1);
        assertThat(kafka.records(topic + ".dlq", 1)).singleElement().satisfies(record ->
                assertThat(KafkaTestClients.header(record, DeadLetter.REASON_CODE_HEADER))
                        .isEqualTo("database-rejected"));
        assertThat(status.quarantinedRecords()).isEqualTo(1);
        assertThat(status.retrying()).isEmpty();
        assertThat(handled).isEmpty();
    }

    @Test
    void aPollFullOfIdenticalPoisonIsQuarantinedRatherThanRetriedForEver() {
        // more poison in a row than one poll returns: every batch fails alike, yet intake moves on
        poisonId = "same-poison";
        Alert poison = alert("same-poison", "k", Severity.LOW, Instant.now());
        List<Alert> all = new java.util.ArrayList<>(java.util.Collections.nCopies(600, poison));
        all.add(alert("after-poison", "k", Severity.LOW, Instant.now()));
        kafka.publishAll(topic, all);

        consumer.start();

        await().atMost(TIMEOUT.multipliedBy(2)).until(() -> committedOffset() == 601);
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("after-poison");
        assertThat(status.quarantinedRecords()).isEqualTo(600);
    }

    @Test
    void onePoisonRecordAmongThousandsIsFoundByHalvingNotRecordByRecord() {
        poisonId = "needle";
        List<Alert> all = new java.util.ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            all.add(alert(i == 1_234 ? "needle" : "hay-" + i, "k-" + i, Severity.LOW, Instant.now()));
        }
        kafka.publishAll(topic, all);

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 2_000);
        assertThat(handled).flatExtracting(ids -> ids).hasSize(1_999).doesNotContain("needle");
        assertThat(status.quarantinedRecords()).isEqualTo(1);
        // one at a time this took 2,000 transactions; by halves about 2 log2(n) per poll that held the poison
        assertThat(handlerCalls.get()).isLessThan(60);
    }

    @Test
    void whenTheEnvironmentIsToBlameHalvingStopsAtTheFirstRecordThatFailsAlone() {
        // every record fails alone: halving the whole batch would cost 2n - 1 calls before the probe is asked
        broken = true;
        List<Alert> all = new java.util.ArrayList<>();
        for (int i = 0; i < 256; i++) {
            all.add(alert("env-" + i, "k-" + i, Severity.LOW, Instant.now()));
        }
        kafka.publishAtomically(topic, 0, all); // one transaction: the first poll holds all 256

        consumer.start();

        await().atMost(TIMEOUT).until(() -> status.retrying().map(IntakeStatus.Retrying::attempts).orElse(0L) >= 1);
        // the whole batch, then halves down to its first record: about log2(n) + 1 calls (9 for 256 in one poll)
        assertThat(handlerCallsAtFirstProbe.get()).isBetween(1, 12);
        assertThat(status.quarantinedRecords()).isZero();
        broken = false;

        await().atMost(TIMEOUT).until(() -> committedOffset() >= 256); // past the transaction's marker
        assertThat(handled).flatExtracting(ids -> ids).hasSize(256);
        assertThat(status.quarantinedRecords()).isZero();
    }

    @Test
    void aBrokenProbeDoesNotHoldThePartitionUpBehindOnePoisonRecord() {
        // the probe fails, but the records after the poison can be stored: they prove the environment works
        probeBroken = true;
        poisonId = "q-1";
        publish(alert("q-1", "k", Severity.LOW, Instant.now()));
        publish(alert("q-2", "k", Severity.LOW, Instant.now()));
        publish(alert("q-3", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("q-2", "q-3");
        assertThat(kafka.records(topic + ".dlq", 1)).hasSize(1);
        assertThat(status.quarantinedRecords()).isEqualTo(1);
        assertThat(status.retrying()).isEmpty();
    }

    @Test
    void aBrokenProbeHoldsTwoPoisonRecordsOnlyForAFewRetries() {
        // the rest after the first poison holds another: the environment is blamed, the same records again and
        // again, until a pass halves without the probe and the good record proves the database works
        probeBroken = true;
        poisonId = "t-1";
        secondPoisonId = "t-2";
        publish(alert("t-1", "k", Severity.LOW, Instant.now()));
        publish(alert("t-2", "k", Severity.LOW, Instant.now()));
        publish(alert("t-3", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("t-3");
        assertThat(kafka.records(topic + ".dlq", 2)).hasSize(2);
        assertThat(status.quarantinedRecords()).isEqualTo(2);
    }

    @Test
    void anInvalidRecordIsQuarantinedAloneAndDoesNotFlushTheRecordsTheEnvironmentFails() {
        broken = true;
        publish(alert("h-1", "k", Severity.LOW, Instant.now()));
        kafka.publishRaw(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
        publish(alert("h-2", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> status.retrying().map(IntakeStatus.Retrying::attempts).orElse(0L) >= 2);
        assertThat(status.retrying()).get().extracting(IntakeStatus.Retrying::reasonCode)
                .isEqualTo(IntakeCode.INTAKE_ERROR);
        broken = false;

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).contains("h-1", "h-2");
        List<ConsumerRecord<byte[], byte[]>> quarantined = kafka.records(topic + ".dlq", 3, Duration.ofSeconds(3));
        assertThat(quarantined).singleElement().satisfies(record ->
                assertThat(record.value()).isEqualTo("{not json".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void anInvalidRecordFirstDoesNotMakeTheEnvironmentsFailuresLookLikePoison() {
        // the invalid record used to set the "shared" signature, so the next failure looked different and flushed
        broken = true;
        kafka.publishRaw(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
        publish(alert("i-1", "k", Severity.LOW, Instant.now()));
        publish(alert("i-2", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> status.retrying().map(IntakeStatus.Retrying::attempts).orElse(0L) >= 2);
        assertThat(status.quarantinedRecords()).isEqualTo(1);
        broken = false;

        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(handled).flatExtracting(ids -> ids).contains("i-1", "i-2");
        assertThat(kafka.records(topic + ".dlq", 3, Duration.ofSeconds(3))).hasSize(1);
        assertThat(status.quarantinedRecords()).isEqualTo(1);
    }

    @Test
    void aCommitFailingAfterTheQuarantineDoesNotQuarantineTheRecordAgain() throws Exception {
        AtomicInteger commitFailures = new AtomicInteger(1);
        replaceConsumer((method, args, real) -> {
            if (method.getName().equals("commitSync") && commitFailures.getAndDecrement() > 0) {
                throw new org.apache.kafka.clients.consumer.CommitFailedException("rebalanced meanwhile");
            }
            return method.invoke(real, args);
        });
        kafka.publishRaw(topic, "k", "{not json".getBytes(StandardCharsets.UTF_8));
        publish(alert("f-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> commitFailures.get() == 0 && !handled.isEmpty());
        publish(alert("f-2", "k", Severity.LOW, Instant.now()));
        await().atMost(TIMEOUT).until(() -> committedOffset() == 3);
        assertThat(kafka.records(topic + ".dlq", 2, Duration.ofSeconds(3))).as("quarantined once").hasSize(1);
        assertThat(status.quarantinedRecords()).isEqualTo(1);
    }

    @Test
    void aPollFailureIsRetriedWithBackOffAndDoesNotStopTheConsumer() throws Exception {
        AtomicInteger pollFailures = new AtomicInteger(2);
        replaceConsumer((method, args, real) -> {
            if (method.getName().equals("poll") && pollFailures.getAndDecrement() > 0) {
                throw new org.apache.kafka.common.errors.TopicAuthorizationException("not authorized, for now");
            }
            return method.invoke(real, args);
        });
        publish(alert("g-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> committedOffset() == 1);
        assertThat(pollFailures.get()).isNegative();
        assertThat(handled).flatExtracting(ids -> ids).containsExactly("g-1");
        assertThat(consumer.isRunning()).isTrue();
        assertThat(status.retrying()).isEmpty();
    }

    @Test
    void aReDeadLetteredRecordKeepsReplayedFromAndGetsOnlyKeywatchsOwnReason() throws Exception {
        var headers = new org.apache.kafka.common.header.internals.RecordHeaders()
                .add("keywatch.dlq.replayed-from", "keywatch.alerts.dlq-0@7".getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.REASON_HEADER, "forged".getBytes(StandardCharsets.UTF_8))
                .add(DeadLetter.REASON_CODE_HEADER, "forged".getBytes(StandardCharsets.UTF_8))
                .add("trace-id", "t1".getBytes(StandardCharsets.UTF_8));
        // signed: the record is keywatch's own, only its content is bad
        new RecordSignatures(TestServices.SIGNING_KEYS).sign(topic, "k".getBytes(StandardCharsets.UTF_8),
                "{not json".getBytes(StandardCharsets.UTF_8), headers);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, "k",
                    "{not json".getBytes(StandardCharsets.UTF_8), headers)).get();
        }

        consumer.start();

        ConsumerRecord<byte[], byte[]> dead = kafka.records(topic + ".dlq", 1).get(0);
        assertThat(KafkaTestClients.header(dead, "keywatch.dlq.replayed-from")).isEqualTo("keywatch.alerts.dlq-0@7");
        assertThat(KafkaTestClients.header(dead, "trace-id")).isEqualTo("t1");
        assertThat(dead.headers().headers(DeadLetter.REASON_HEADER)).hasSize(1);
        assertThat(dead.headers().headers(DeadLetter.REASON_CODE_HEADER)).hasSize(1);
        assertThat(KafkaTestClients.header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("invalid-alert");
    }

    @Test
    void reReadsABatchTheHandlerCouldNotStoreAndCommitsOnlyOnceItIsStored() {
        failuresLeft.set(2);
        publish(alert("a-1", "k", Severity.LOW, Instant.now()));

        consumer.start();

        await().atMost(TIMEOUT).until(() -> !handled.isEmpty());
        assertThat(handled).containsExactly(List.of("a-1"));
        assertThat(failuresLeft.get()).as("failed twice before").isNegative();
        await().atMost(TIMEOUT).until(() -> committedOffset() == 1);
        assertThat(consumer.isRunning()).isTrue();
    }

    @Test
    void stopsCleanlyWhenClosed() {
        consumer.start();
        await().atMost(TIMEOUT).until(consumer::isRunning);

        consumer.close();

        assertThat(consumer.isRunning()).isFalse();
    }

    /** What a test does with a call to the real consumer (a {@link java.lang.reflect.Proxy} forwards to it). */
    private interface Interception {
        Object call(java.lang.reflect.Method method, Object[] args, Object real) throws Throwable;
    }

    /** Swaps the consumer for one over a real KafkaConsumer whose calls pass through {@code interception}. */
    @SuppressWarnings("unchecked")
    private void replaceConsumer(Interception interception) {
        consumer.close();
        var real = new org.apache.kafka.clients.consumer.KafkaConsumer<>(AlertConsumer.consumerProperties(bootstrap,
                group), new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        var intercepted = (org.apache.kafka.clients.consumer.Consumer<byte[], byte[]>) java.lang.reflect.Proxy
                .newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {org.apache.kafka.clients.consumer.Consumer.class}, (proxy, method, args) -> {
                            try {
                                return interception.call(method, args, real);
                            } catch (java.lang.reflect.InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
        consumer = new AlertConsumer(intercepted, topic, serde, alerts ->
                handled.add(alerts.stream().map(Alert::id).toList()), this::probe,
                AlertDeadLetters.create(bootstrap, group + "-dlq", topic + ".dlq"), status, new RecordSignatures(TestServices.SIGNING_KEYS));
    }

    private void publishLarge(String key, byte[] value) throws Exception {
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                org.apache.kafka.clients.producer.ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000),
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, null, key, value,
                    new RecordSignatures(TestServices.SIGNING_KEYS).sign(topic, key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value,
                            new org.apache.kafka.common.header.internals.RecordHeaders()))).get();
        }
    }

    private void publish(Alert alert) {
        kafka.publish(topic, alert);
    }

    private long committedOffset() throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        OffsetAndMetadata committed = offsets.get(new TopicPartition(topic, 0));
        return committed == null ? -1 : committed.offset();
    }
}
