package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEventParser;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's traffic through the real publisher into a real broker: every generated event arrives, parseable. */
class SimulatedBackfillTest {

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start(dataDir, 0);
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void simulatedBackfillArrivesInKafkaComplete() {
        PublisherSettings settings = settings();
        TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(10));
        Instant to = Instant.parse("2026-11-27T12:00:00Z");
        long generated;
        try (UsageEventPublisher publisher = new UsageEventPublisher(settings)) {
            generated = new TrafficGenerator(model).generate(to.minus(Duration.ofMinutes(5)), to, publisher);
            publisher.flush();
            assertThat(publisher.published()).isEqualTo(generated);
        }
        assertThat(generated).isPositive();
        List<ConsumerRecord<String, byte[]>> records = readAll(settings.topics().usageEvents(), (int) generated);
        UsageEventParser parser = new UsageEventParser();
        assertThat(records).hasSize((int) generated)
                .allSatisfy(r -> assertThat(parser.parse(r.value())).isInstanceOf(UsageEventParser.Valid.class));
    }

    private static PublisherSettings settings() {
        Topics topics = new Topics("backfill.usage-events", "backfill.dlq", "backfill.alerts", "backfill.key-state");
        new TopicProvisioner(kafka.bootstrapServers(), Duration.ofSeconds(30)).ensure(topics, 3, (short) 1);
        return new PublisherSettings(kafka.bootstrapServers(), topics, "simulator-test", Map.of());
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        return kafka.readAll(topic, expected, Duration.ofSeconds(30));
    }
}
