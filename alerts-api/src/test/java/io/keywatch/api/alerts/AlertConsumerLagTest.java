package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.health.ComponentHealth;
import io.keywatch.api.health.HealthSettings;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestTopics;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import io.keywatch.events.signing.RecordSignatures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The alert topic is written by Kafka Streams with exactly-once: each transaction ends with a commit marker that
 * takes an offset of its own. A consumer that is caught up must have committed past that marker, or lag-based
 * monitoring reads "one behind" for ever.
 */
@ExtendWith(SharedInfra.class)
class AlertConsumerLagTest {

    private static final int PARTITIONS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static String bootstrap;
    private static Admin admin;

    private final JsonSerde<Alert> serde = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);

    @BeforeAll
    static void connect(EmbeddedKafkaBroker broker) {
        bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    @Test
    void aCaughtUpConsumerCommitsPastTheTransactionMarkersAndReadsZeroLag() throws Exception {
        String topic = "lag-test-" + UUID.randomUUID();
        String group = "lag-test-" + UUID.randomUUID();
        TestTopics.create(admin, List.of(new NewTopic(topic, PARTITIONS, (short) 1),
                new NewTopic(topic + ".dlq", 1, (short) 1)));
        List<String> handled = new CopyOnWriteArrayList<>();
        IntakeStatus status = new IntakeStatus(Clock.systemUTC());
        int alerts = 0;
        try (AlertConsumer consumer = AlertConsumer.create(bootstrap, group, topic, topic + ".dlq", serde,
                batch -> batch.forEach(a -> handled.add(a.id())), () -> { }, status, SIGNATURES)) {
            consumer.start();
            // several transactions, each over every partition, as the topology's exactly-once commits write them
            try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
                producer.initTransactions();
                for (int transaction = 0; transaction < 3; transaction++) {
                    producer.beginTransaction();
                    for (int partition = 0; partition < PARTITIONS; partition++) {
                        String id = "a-" + transaction + "-" + partition;
                        producer.send(signed(topic, partition, "k" + partition,
                                serde.toBytes(alert(id, "k" + partition, Severity.LOW, Instant.now()))));
                        alerts++;
                    }
                    producer.commitTransaction();
                }
            }
            int expected = alerts;
            await().atMost(TIMEOUT).until(() -> handled.size() >= expected);

            Map<TopicPartition, Long> ends = endOffsets(topic);
            assertThat(ends.values()).allSatisfy(end -> assertThat(end).isEqualTo(6)); // 3 records + 3 markers
            await().atMost(TIMEOUT).untilAsserted(() -> assertThat(committedOffsets(group)).isEqualTo(ends));
            await().atMost(TIMEOUT).untilAsserted(() -> {
                IntakeStatus.Lag lag = status.lag().orElseThrow();
                assertThat(lag.total()).isZero();
                assertThat(lag.byPartition()).hasSize(PARTITIONS).allSatisfy((p, l) -> assertThat(l).isZero());
            });
        }
        assertThat(handled).hasSize(alerts).doesNotHaveDuplicates();
    }

    @Test
    void anIntakeThatCannotStoreIsNotReadyWithItsLagOnceTheStallTimeHasPassed() throws Exception {
        String topic = "stall-test-" + UUID.randomUUID();
        String group = "stall-test-" + UUID.randomUUID();
        TestTopics.create(admin, List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)));
        IntakeStatus status = new IntakeStatus(Clock.systemUTC());
        AlertIntakeHealthCheck health = new AlertIntakeHealthCheck(status, Optional::empty, topic + ".dlq",
                new HealthSettings(Duration.ofSeconds(2), 0), Clock.systemUTC());
        try (AlertConsumer consumer = AlertConsumer.create(bootstrap, group, topic, topic + ".dlq", serde,
                batch -> {
                    throw new IllegalStateException("database unavailable");
                }, () -> { }, status, SIGNATURES)) {
            try (KafkaProducer<String, byte[]> producer = transactionalProducer()) {
                producer.initTransactions();
                producer.beginTransaction();
                for (String id : List.of("s-1", "s-2")) {
                    producer.send(signed(topic, 0, "k", serde.toBytes(alert(id, "k", Severity.LOW, Instant.now()))));
                }
                producer.commitTransaction();
            }
            consumer.start();

            await().atMost(TIMEOUT).untilAsserted(() -> {
                ComponentHealth intake = health.check();
                assertThat(intake.ready()).as(intake.detail()).isFalse();
                assertThat(intake.live()).isTrue();
                assertThat(intake.figures()).containsEntry("lag", 3L); // two records and the marker
            });
        }
    }

    private static final RecordSignatures SIGNATURES = new RecordSignatures(TestServices.SIGNING_KEYS);

    /** A record as the topology writes it: signed. */
    private static ProducerRecord<String, byte[]> signed(String topic, int partition, String key, byte[] value) {
        return new ProducerRecord<>(topic, partition, null, key, value, SIGNATURES.sign(topic,
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8), value,
                new org.apache.kafka.common.header.internals.RecordHeaders()));
    }

    private KafkaProducer<String, byte[]> transactionalProducer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "lag-test-" + UUID.randomUUID(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true), new StringSerializer(), new ByteArraySerializer());
    }

    private static Map<TopicPartition, Long> endOffsets(String topic) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        return admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                .entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private static Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        Set<TopicPartition> partitions = committed.keySet();
        return partitions.stream().filter(tp -> committed.get(tp) != null)
                .collect(Collectors.toMap(tp -> tp, tp -> committed.get(tp).offset()));
    }
}
