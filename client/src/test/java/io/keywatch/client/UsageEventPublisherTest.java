package io.keywatch.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageEventPublisherTest {

    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();

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
    void publishesKeyedJsonThatTheParserReadsBackFieldForField() throws Exception {
        PublisherSettings settings = settingsWithFreshTopic();
        UsageEvent full = UsageEvent.of("0b6c7e1e-5f7a-4f3e-9a53-3f1b2c4d5e6f", "pk_live_abc123",
                        Instant.parse("2026-11-27T19:00:00.123Z"), "billing", AuthResult.SCOPE_DENIED)
                .withRequest("POST", "/v1/invoices/{id}", 403)
                .withClient("203.0.113.7", "DE", "okhttp/4.12.0")
                .withDetails(12, "billing:write", true, CredentialLocation.QUERY);
        UsageEvent minimal = UsageEvent.of("e-min", "pk_live_xyz", Instant.parse("2026-11-27T19:00:01Z"),
                "search", AuthResult.OK);

        try (UsageEventPublisher publisher = new UsageEventPublisher(settings)) {
            RecordMetadata first = publisher.publish(full).get(30, TimeUnit.SECONDS);
            publisher.publish(minimal).get(30, TimeUnit.SECONDS);
            assertThat(first.topic()).isEqualTo(settings.topics().usageEvents());
            assertThat(publisher.published()).isEqualTo(2);
            assertThat(publisher.errors()).isZero();
        }

        List<ConsumerRecord<String, byte[]>> records = readAll(settings.topics().usageEvents(), 2);
        UsageEventParser parser = new UsageEventParser();
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("pk_live_abc123", "pk_live_xyz");
        for (ConsumerRecord<String, byte[]> record : records) {
            UsageEvent expected = record.key().equals(full.keyId()) ? full : minimal;
            assertThat(parser.parse(record.value())).isEqualTo(new UsageEventParser.Valid(expected));
            assertThat(record.timestamp()).isEqualTo(expected.timestamp().toEpochMilli());
        }
        String json = new String(records.stream().filter(r -> r.key().equals(full.keyId())).findFirst()
                .orElseThrow().value(), StandardCharsets.UTF_8);
        assertThat(json).contains("\"timestamp\":\"2026-11-27T19:00:00.123Z\"");
    }

    @Test
    void aCallersHostileHeadersCannotGetTheEventDeadLettered() throws Exception {
        PublisherSettings settings = settingsWithFreshTopic();
        // what a service copies from an attacker's request: a huge User-Agent with CR/LF, a forged X-Forwarded-For
        UsageEvent hostile = UsageEvent.of("e-hostile", "pk_live_target", Instant.parse("2026-11-27T19:00:02Z"),
                        "billing", AuthResult.INVALID_SECRET)
                .withRequest("GET", "/v1/charges", 401)
                .withClient("1.2.3.4, 10.0.0.1", "DE", "sqlmap\r\n" + "A".repeat(5_000));

        try (UsageEventPublisher publisher = new UsageEventPublisher(settings)) {
            publisher.publish(hostile).get(30, TimeUnit.SECONDS);
        }

        ConsumerRecord<String, byte[]> record = readAll(settings.topics().usageEvents(), 1).get(0);
        UsageEventParser.Result parsed = new UsageEventParser().parse(record.value());
        assertThat(parsed).as("accepted, so detection counts the failed attempt").isInstanceOf(UsageEventParser.Valid.class);
        UsageEvent seen = ((UsageEventParser.Valid) parsed).event();
        assertThat(seen.authResult()).isEqualTo(AuthResult.INVALID_SECRET);
        assertThat(seen.userAgent()).startsWith("sqlmap\ufffd\ufffdAAA").hasSize(512);
        assertThat(seen.clientIp()).isNull();
    }

    @Test
    void flushWaitsUntilEveryPublishedEventIsAcknowledged() {
        PublisherSettings settings = settingsWithFreshTopic()
                .withProducerProperty(ProducerConfig.LINGER_MS_CONFIG, "200");
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (UsageEventPublisher publisher = new UsageEventPublisher(settings)) {
            for (int i = 0; i < 200; i++) {
                futures.add(publisher.publish(UsageEvent.of("e-" + i, "pk_" + (i % 7), Instant.now(), "billing",
                        AuthResult.OK)));
            }
            publisher.flush();

            assertThat(futures).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
            assertThat(publisher.published()).isEqualTo(200);
        }
        assertThat(readAll(settings.topics().usageEvents(), 200)).hasSize(200);
    }

    @Test
    void aFailedPublishCompletesTheFutureExceptionallyAndIsCountedAndReported() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens here once the socket is closed
        }
        PublisherSettings unreachable = PublisherSettings.of("localhost:" + closedPort)
                .withProducerProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG, "500")
                .withProducerProperty(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "500")
                .withProducerProperty(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "1000")
                .withProducerProperty(ProducerConfig.LINGER_MS_CONFIG, "0");
        List<String> reported = new CopyOnWriteArrayList<>();
        UsageEvent event = UsageEvent.of("e-lost", "pk_1", Instant.now(), "billing", AuthResult.OK);

        try (UsageEventPublisher publisher = new UsageEventPublisher(unreachable,
                (failed, error) -> reported.add(failed.eventId()))) {
            CompletableFuture<RecordMetadata> future = publisher.publish(event);

            assertThatThrownBy(() -> future.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
            assertThat(publisher.errors()).isEqualTo(1);
            assertThat(publisher.published()).isZero();
            assertThat(reported).containsExactly("e-lost");
            publisher.close(Duration.ZERO);
        }
    }

    @Test
    void publishingAfterCloseFailsTheFutureInsteadOfThrowing() {
        UsageEventPublisher publisher = new UsageEventPublisher(settingsWithFreshTopic());
        publisher.close();

        CompletableFuture<RecordMetadata> future =
                publisher.publish(UsageEvent.of("e-late", "pk_1", Instant.now(), "billing", AuthResult.OK));

        assertThat(future).isCompletedExceptionally();
        assertThat(publisher.errors()).isEqualTo(1);
    }

    @Test
    void rejectsANullEventWithAClearMessage() {
        try (UsageEventPublisher publisher = new UsageEventPublisher(settingsWithFreshTopic())) {
            assertThatThrownBy(() -> publisher.publish(null))
                    .isInstanceOf(NullPointerException.class)
                    .hasMessage("event must not be null");
        }
    }

    private static PublisherSettings settingsWithFreshTopic() {
        String prefix = "test" + TOPIC_SEQUENCE.incrementAndGet();
        Topics topics = new Topics(prefix + ".usage-events", prefix + ".dlq", prefix + ".alerts", prefix + ".key-state");
        new TopicProvisioner(kafka.bootstrapServers(), Duration.ofSeconds(30)).ensure(topics, 3, (short) 1);
        return new PublisherSettings(kafka.bootstrapServers(), topics, "publisher-test", Map.of());
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic, int expected) {
        return kafka.readAll(topic, expected, Duration.ofSeconds(30));
    }
}
