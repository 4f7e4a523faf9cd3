package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alerts published to Kafka, through the consumer and the revocation policy, seen through the HTTP API. The
 * service runs on a pool the test owns, the way the standalone passes its embedded PostgreSQL.
 */
@ExtendWith(SharedInfra.class)
class AlertPipelineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static RunningApi stack;
    private static ApiSettings settings;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = RunningApi.start(postgres, broker);
        settings = stack.settings();
        api = stack.api();
        kafka = stack.kafka();
    }

    @AfterAll
    static void stopService() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void anAlertPublishedToKafkaAppearsInTheApi() {
        Alert alert = alert("pipe-1", "pipe-key-1", AlertRule.VOLUME_SPIKE, Severity.MEDIUM, Instant.now());

        kafka.publish(settings.topics().alerts(), alert);

        Response response = awaitAlert("pipe-1");
        assertThat(response.json().path("keyId").asText()).isEqualTo("pipe-key-1");
        assertThat(response.json().path("severity").asText()).isEqualTo("MEDIUM");
    }

    @Test
    void aMalformedRecordIsSkippedAndTheNextOneIsStored() {
        // same key, so same partition: the good alert comes after the bad records
        kafka.publishRaw(settings.topics().alerts(), "pipe-key-2", "{not json".getBytes(StandardCharsets.UTF_8));
        kafka.publishRaw(settings.topics().alerts(), "pipe-key-2",
                "{\"id\":\"x\",\"rule\":\"NO_SUCH_RULE\"}".getBytes(StandardCharsets.UTF_8));
        kafka.publish(settings.topics().alerts(),
                alert("pipe-2", "pipe-key-2", Severity.LOW, Instant.now()));

        awaitAlert("pipe-2");
        assertThat(api.get("/api/v1/alerts?keyId=pipe-key-2").json().path("items").findValuesAsText("id"))
                .containsExactly("pipe-2");
    }

    @Test
    void aCriticalAlertRevokesItsKeyAndAnnouncesIt() {
        kafka.publish(settings.topics().alerts(),
                alert("pipe-3", "pipe-key-3", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, Instant.now()));

        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(api.get("/api/v1/keys/pipe-key-3").json().path("status").asText()).isEqualTo("REVOKED"));
        Response key = api.get("/api/v1/keys/pipe-key-3");
        assertThat(key.json().path("reason").asText())
                .isEqualTo("automatic: AUTH_FAILURE_BURST alert pipe-3 (CRITICAL)");
        assertThat(key.json().path("changedBy").asText()).isEqualTo("policy:AUTH_FAILURE_BURST");
        assertThat(key.json().path("recentAlerts").findValuesAsText("id")).containsExactly("pipe-3");

        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), "pipe-key-3", Duration.ofMillis(500));
        assertThat(states).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(state.changedBy()).isEqualTo("policy:AUTH_FAILURE_BURST");
        });
    }

    @Test
    void aHighAlertDoesNotRevokeItsKey() {
        kafka.publish(settings.topics().alerts(), alert("pipe-4", "pipe-key-4", Severity.HIGH, Instant.now()));

        awaitAlert("pipe-4");
        // the policy runs right after the batch is stored: give it a moment to (wrongly) act
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                assertThat(api.get("/api/v1/keys/pipe-key-4").json().path("status").asText()).isEqualTo("ACTIVE"));
    }

    @Test
    void anEscalatedAlertRaisesTheStoredSeverityAndThenRevokes() {
        Alert high = alert("pipe-5", "pipe-key-5", Severity.HIGH, Instant.now());
        kafka.publish(settings.topics().alerts(), high);
        awaitAlert("pipe-5");

        kafka.publish(settings.topics().alerts(), TestAlerts.withSeverity(high, Severity.CRITICAL, 9000));

        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(api.get("/api/v1/alerts/pipe-5").json().path("severity").asText()).isEqualTo("CRITICAL"));
        await().atMost(TIMEOUT).untilAsserted(() ->
                assertThat(api.get("/api/v1/keys/pipe-key-5").json().path("status").asText()).isEqualTo("REVOKED"));
        assertThat(api.get("/api/v1/alerts?keyId=pipe-key-5").json().path("items").size()).isEqualTo(1);
    }

    private static Response awaitAlert(String id) {
        return await().atMost(TIMEOUT).until(() -> api.get("/api/v1/alerts/" + id), r -> r.status() == 200);
    }
}
