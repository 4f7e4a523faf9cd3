package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background traffic of the latency phases, sent by a child JVM and from this one, on a real broker. */
class PublisherProcessTest {

    @TempDir
    static Path dir;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            BenchStreams.createTopics(admin, 2, "child-load", "paced-load");
        }
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aChildJvmSendsTheSimulatedKeysTrafficOnItsScheduleAndSaysHowMuch() throws Exception {
        Instant start = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Background.Sent sent;
        try (PublisherProcess child = PublisherProcess.start(broker.bootstrapServers(), "child-load", 200, 7L, 300,
                start, 3, dir)) {
            assertThat(child.publisher()).isEqualTo("child process");
            assertThat(child.firstDueMs()).isEqualTo(start.toEpochMilli());
            sent = child.finish();
            assertThat(child.done()).isTrue();
        }
        // about 300 events/s for 3 s; the child's own count is what the topic holds
        assertThat(sent.events()).isBetween(300L, 3_000L);
        assertThat(sent.lastSendMs()).isGreaterThanOrEqualTo(sent.firstSendMs());
        assertThat(sent.firstSendMs()).isGreaterThanOrEqualTo(start.toEpochMilli());
        // the topic holds exactly what the child says it sent (end offsets: no waiting for a record that never comes)
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            assertThat(new ConsumerLag(admin).endOffsets("child-load")).isEqualTo(sent.events());
        }
        List<ConsumerRecord<String, byte[]>> records = broker.readAll("child-load", (int) sent.events(),
                Duration.ofSeconds(10));
        assertThat(records).hasSize((int) sent.events());
        // each record's timestamp is its event's: none before the schedule's start
        assertThat(records).allSatisfy(record -> {
            assertThat(record.key()).isNotBlank();
            assertThat(record.timestamp()).isGreaterThanOrEqualTo(start.toEpochMilli());
        });
    }

    @Test
    void aChildThatCannotRunIsAFailureNotAnEmptyResult() throws Exception {
        try (PublisherProcess child = PublisherProcess.start("127.0.0.1:1", "child-load", 0, 7L, 300,
                Instant.now(), 1, dir)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(child::finish)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("exit code");
        }
    }

    @Test
    void pacedEventsFromThisJvmGoOutNoEarlierThanTheirShiftedTimes() throws Exception {
        EventBatch batch = EventBatch.during(EventBatch.atRate(new io.keywatch.simulator.TrafficModel(
                io.keywatch.simulator.SimulatorSettings.DEFAULTS.withKeys(100).withSeed(3L)), 200, Instant.now()),
                Instant.now().minusSeconds(60), 2, 10_000);
        long earliest = System.currentTimeMillis() + 300;
        PacedEvents paced = new PacedEvents(batch).startingNoEarlierThan(earliest);
        assertThat(paced.firstDueMs()).isGreaterThanOrEqualTo(earliest);
        assertThat(paced.sendDue(null, "paced-load", earliest - 1)).as("nothing is due yet").isFalse();
        try (Producer<String, byte[]> producer = BenchStreams.latencyProducer(broker.bootstrapServers())) {
            while (!paced.done()) {
                if (!paced.sendDue(producer, "paced-load", System.currentTimeMillis())) {
                    Thread.sleep(1);
                }
            }
            producer.flush();
        }
        Background.Sent sent = paced.finish();
        assertThat(sent.events()).isEqualTo(batch.size());
        assertThat(sent.firstSendMs()).isGreaterThanOrEqualTo(earliest);
        assertThat(broker.readAll("paced-load", batch.size(), Duration.ofSeconds(10))).hasSize(batch.size());
    }
}
