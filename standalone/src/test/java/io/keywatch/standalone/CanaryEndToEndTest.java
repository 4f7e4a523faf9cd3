package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary end to end on embedded Kafka and PostgreSQL: minted through the API, used once, reported CRITICAL with
 * where it was planted and who used it, and not revoked although automatic revocation is on for CRITICAL alerts.
 */
class CanaryEndToEndTest {

    private static final String TOKEN = "e2e-admin-token";
    private static final String PLANTED = "github.com/acme/old-infra/.env";

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

    @Test
    void aCanaryUsedOnceIsCriticalAtOnceAndIsNotRevoked() {
        // a real key for the canary to look like
        assertThat(api.putKey("pk_live_51HqLyjWDarjtT1zdp7dcXa9b", Map.of("owner", "team-billing"))).isEqualTo(201);
        JsonNode minted = api.post("/api/v1/keys/canaries", Map.of("plantedAt", PLANTED, "owner", "team-security"));
        String keyId = minted.path("keyId").asText();
        assertThat(keyId).as("%s", minted).matches("pk_live_[0-9A-Za-z]{25}");
        await("the topology knows the canary").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> keywatch.streams().keyState(keyId).map(KeyState::metadata)
                        .filter(metadata -> metadata.canaryKey() && PLANTED.equals(metadata.plantedAt())).isPresent());

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.of(keywatch.kafkaBootstrap()))) {
            publisher.accept(UsageEvent.of(UUID.randomUUID().toString(), keyId, now, "billing", AuthResult.OK)
                    .withRequest("GET", "/v1/invoices", 200)
                    .withClient("198.51.100.23", "RU", "python-requests/2.32"));
            publisher.flush();
        }

        await("the API stores a CRITICAL CANARY_KEY_USED").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.alerts(Map.of("keyId", keyId, "rule", "CANARY_KEY_USED"))).singleElement()
                        .satisfies(alert -> {
                            assertThat(alert.path("severity").asText()).isEqualTo("CRITICAL");
                            assertThat(alert.path("summary").asText()).contains("decoy key " + keyId + " planted at "
                                    + PLANTED + " was used from 198.51.100.23 (RU)");
                            JsonNode evidence = alert.path("evidence");
                            assertThat(evidence.path("plantedAt").asText()).isEqualTo(PLANTED);
                            assertThat(evidence.path("clientIp").asText()).isEqualTo("198.51.100.23");
                            assertThat(evidence.path("country").asText()).isEqualTo("RU");
                            assertThat(evidence.path("userAgent").asText()).isEqualTo("python-requests/2.32");
                        }));
        await("the decision is recorded as skipped").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(items(api.get("/api/v1/revocations?keyId=" + keyId))).singleElement()
                        .satisfies(decision -> assertThat(decision.path("status").asText())
                                .isEqualTo("SKIPPED_CANARY")));
        JsonNode key = api.key(keyId);
        assertThat(key.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.alerts(Map.of("keyId", keyId))).extracting(alert -> alert.path("rule").asText())
                .doesNotContain("UNKNOWN_KEY");
    }

    private static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new java.util.ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }
}
