package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/keys/{keyId}/usage} on the real topology: events published over three minutes (event time) come
 * back as the per-minute counts detection judged, with the minute that raised an alert marked.
 */
class KeyUsageEndToEndTest {

    private static final String TOKEN = "usage-e2e-admin-token";

    @TempDir
    static Path dataDir;

    private static Standalone keywatch;
    private static ApiTestClient api;

    @BeforeAll
    static void startKeywatch() throws InterruptedException {
        keywatch = RunningStandalone.start(dataDir, Map.of("KEYWATCH_ADMIN_TOKEN", TOKEN));
        api = new ApiTestClient(keywatch.httpPort(), TOKEN);
    }

    @AfterAll
    static void stopKeywatch() {
        if (keywatch != null) {
            keywatch.close();
        }
    }

    private static String event(String keyId, Instant at, int status, String authResult, String ip) {
        return """
                {"eventId":"%s","keyId":"%s","timestamp":"%s","service":"payments","method":"POST",\
                "path":"/v1/charges","status":%d,"authResult":"%s","clientIp":"%s",\
                "country":"NL","tls":true,"credentialLocation":"HEADER"}"""
                .formatted(UUID.randomUUID(), keyId, at, status, authResult, ip);
    }

    @Test
    void usageIsTheTopologysOwnCountsWithTheAlertingMinuteMarked() {
        String keyId = "usage-e2e-" + UUID.randomUUID();
        Instant m0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(3));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, keywatch.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<String, String>(props, new StringSerializer(), new StringSerializer())) {
            // minute 0: five ordinary requests from two addresses, one of them a server error
            for (int i = 0; i < 5; i++) {
                producer.send(new ProducerRecord<>("keywatch.usage-events", keyId, event(keyId,
                        m0.plusSeconds(5L * i), i == 4 ? 500 : 200, "OK", i % 2 == 0 ? "198.51.100.1" : "198.51.100.2")));
            }
            // minute 1: someone guessing the secret, 120 failures
            for (int i = 0; i < 120; i++) {
                producer.send(new ProducerRecord<>("keywatch.usage-events", keyId, event(keyId,
                        m0.plus(Duration.ofMinutes(1)).plusMillis(100L * i), 401, "INVALID_SECRET", "203.0.113.9")));
            }
            // minute 2: three ordinary requests, late in the minute (they also move event time past minute 1)
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("keywatch.usage-events", keyId, event(keyId,
                        m0.plus(Duration.ofMinutes(2)).plusSeconds(45 + i), 200, "OK", "198.51.100.1")));
            }
            producer.flush();
        }

        String path = "/api/v1/keys/" + keyId + "/usage?from=" + m0 + "&to=" + m0.plus(Duration.ofMinutes(4));
        await("the usage is served from the topology's state").atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode body = api.get(path);
            assertThat(body.path("source").asText()).isEqualTo("topology");
            assertThat(body.path("retentionMinutes").asInt()).isEqualTo(120);
            JsonNode points = body.path("points");
            assertThat(points).hasSize(4);
            assertThat(points.get(0).path("t").asText()).isEqualTo(m0.toString());
            assertThat(points.get(0).path("requests").asLong()).isEqualTo(5);
            assertThat(points.get(0).path("errors").asLong()).isEqualTo(1);
            assertThat(points.get(0).path("distinctIps").asInt()).isEqualTo(2);
            assertThat(points.get(1).path("authFailures").asLong()).isEqualTo(120);
            assertThat(points.get(1).path("alerts").path("AUTH_FAILURE_BURST").asText()).isNotEmpty();
            assertThat(points.get(2).path("requests").asLong()).isEqualTo(3);
            assertThat(points.get(3).path("requests").asLong()).isZero();
        });
    }
}
