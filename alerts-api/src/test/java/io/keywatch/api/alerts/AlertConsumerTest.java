package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.Alert;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
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
    private final IntakeStatus status = new IntakeStatus(Clock.systemUTC());
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
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1), new NewTopic(topic + ".dlq", 1, (short) 1)))
                .all().get();
        consumer = AlertConsumer.create(bootstrap, group, topic, topic + ".dlq", serde, alerts -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("database unavailable");
            }
            handled.add(alerts.stream().map(Alert::id).toList());
        }, status);
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
