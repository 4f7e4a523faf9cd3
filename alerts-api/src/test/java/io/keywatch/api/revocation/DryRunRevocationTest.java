package io.keywatch.api.revocation;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** KEYWATCH_REVOKE_DRY_RUN=true, and webhook settings left at their defaults (https only, no allow-list). */
@ExtendWith(SharedInfra.class)
class DryRunRevocationTest {

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker)
                .withRevocation(RevocationSettings.DEFAULTS.withDryRun(true));
        service = new AlertsApiService(settings).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        kafka = new KafkaTestClients(broker.bootstrapServers());
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aDryRunRevokesNothingAndAuditsWhatItWouldHaveDone() {
        kafka.publish(settings.topics().alerts(), TestAlerts.alert("dry-alert", "dry-key", AlertRule.VOLUME_SPIKE,
                Severity.CRITICAL, Instant.now()));

        JsonNode audit = await().atMost(Duration.ofSeconds(30)).until(
                () -> api.get("/api/v1/audit?keyId=dry-key").json().path("items"), items -> items.size() == 1);
        assertThat(audit.get(0).path("action").asText()).isEqualTo("DRY_RUN");
        assertThat(audit.get(0).path("reason").asText()).contains("would have been revoked");
        assertThat(api.get("/api/v1/keys/dry-key").json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/v1/alerts/dry-alert").json().path("autoRevocation").asText()).isEqualTo("DRY_RUN");
        assertThat(api.get("/api/v1/revocations?status=DRY_RUN").json().path("items").findValuesAsText("keyId"))
                .containsExactly("dry-key");
        assertThat(api.get("/api/v1/keys?status=REVOKED").json().path("items")).isEmpty();
    }

    @Test
    void withoutAnAllowListInternalAndPlainHttpUrlsAreRefused() {
        assertThat(assertError(api.post("/api/v1/webhooks", "{\"url\":\"https://localhost/hook\"}"), 400))
                .contains("loopback").contains("KEYWATCH_WEBHOOK_ALLOW");
        assertThat(assertError(api.post("/api/v1/webhooks", "{\"url\":\"https://127.0.0.1:8443/hook\"}"), 400))
                .contains("loopback");
        assertThat(assertError(api.post("/api/v1/webhooks", "{\"url\":\"http://example.com/hook\"}"), 400))
                .contains("KEYWATCH_WEBHOOK_ALLOW_HTTP");
        assertThat(assertError(api.post("/api/v1/webhooks", "{\"url\":\"https://[::1]/hook\"}"), 400))
                .contains("loopback");
    }
}
