package io.keywatch.api.alerts;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.WebhookTestStack;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/alerts/{id}/timeline} on real PostgreSQL and Kafka: a CRITICAL alert that the policy turns into
 * an automatic revocation, whose {@code key.revoked} webhook reaches a local receiver.
 */
@ExtendWith(SharedInfra.class)
class AlertTimelineHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static WebhookTestStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = WebhookTestStack.start(postgres, broker);
        api = stack.api();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void listsEveryStepFromTriggerToWebhookDeliveryInOrderWithNonNegativeLatencies() {
        String subscription = assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + stack.receiver().url("/tl")
                + "\",\"eventTypes\":[\"key.revoked\",\"alert.created\"],\"owner\":\"team-tl\"}"), 201)
                .json().path("id").asText();
        assertOk(api.put("/api/v1/keys/tl-key", "{\"owner\":\"team-tl\",\"autoRevoke\":true}"), 201);
        stack.kafka().publish(stack.settings().topics().alerts(), TestAlerts.alert("tl-alert", "tl-key",
                AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, Instant.now()));
        await().atMost(TIMEOUT).until(() -> stack.receiver().received("/tl").size() >= 2);
        await().atMost(TIMEOUT).until(() -> steps(timeline("tl-alert")).stream()
                .filter("webhook-delivered"::equals).count() == 2);
        assertOk(api.post("/api/v1/alerts/tl-alert/resolve", "{\"resolution\":\"revoked\",\"note\":\"rotated\"}"),
                200);

        JsonNode timeline = timeline("tl-alert");

        assertThat(timeline.path("alertId").asText()).isEqualTo("tl-alert");
        assertThat(timeline.path("truncated").asBoolean()).isFalse();
        List<String> steps = steps(timeline);
        assertThat(steps.subList(0, 3)).containsExactly("triggered", "detected", "stored");
        assertThat(steps).containsSubsequence("stored", "revocation-decided", "key-revoked", "webhook-delivered",
                "resolved");
        assertThat(steps.stream().filter("webhook-delivered"::equals)).hasSize(2);
        long previous = 0;
        for (JsonNode step : timeline.path("steps")) {
            assertThat(step.path("sincePreviousMs").asLong()).as(step.toString()).isNotNegative();
            assertThat(step.path("sinceTriggerMs").asLong()).as(step.toString()).isGreaterThanOrEqualTo(previous);
            previous = step.path("sinceTriggerMs").asLong();
        }
        JsonNode detected = find(timeline, "detected");
        assertThat(detected.path("sinceTriggerMs").asLong()).isEqualTo(1_000); // TestAlerts: triggered 1 s before
        JsonNode decided = find(timeline, "revocation-decided");
        assertThat(decided.path("status").asText()).isEqualTo("REVOKED");
        assertThat(decided.path("actor").asText()).isEqualTo("policy:AUTH_FAILURE_BURST");
        JsonNode revokedDelivery = null;
        for (JsonNode step : timeline.path("steps")) {
            if (step.path("eventType").asText().equals("key.revoked")) {
                revokedDelivery = step;
            }
        }
        assertThat(revokedDelivery).isNotNull();
        assertThat(revokedDelivery.path("step").asText()).isEqualTo("webhook-delivered");
        assertThat(revokedDelivery.path("subscriptionId").asText()).isEqualTo(subscription);
        assertThat(revokedDelivery.path("attempts").asInt()).isEqualTo(1);
        assertThat(revokedDelivery.path("lastStatusCode").asInt()).isEqualTo(200);
        assertThat(revokedDelivery.has("firstAttemptAt")).isTrue();
        JsonNode resolved = find(timeline, "resolved");
        assertThat(resolved.path("status").asText()).isEqualTo("revoked");
        assertThat(resolved.path("actor").asText()).isNotBlank();
    }

    @Test
    void aLaterUnrelatedRevocationOfTheKeyIsNotPartOfTheAlertsTimeline() {
        assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + stack.receiver().url("/tl2")
                + "\",\"eventTypes\":[\"key.revoked\"],\"owner\":\"team-tl2\"}"), 201);
        assertOk(api.put("/api/v1/keys/tl2-key", "{\"owner\":\"team-tl2\",\"autoRevoke\":false}"), 201);
        // a MEDIUM alert: below the policy's CRITICAL, no decision
        stack.kafka().publish(stack.settings().topics().alerts(), TestAlerts.alert("tl2-alert", "tl2-key",
                AlertRule.VOLUME_SPIKE, Severity.MEDIUM, Instant.now()));
        await().atMost(TIMEOUT).until(() -> api.get("/api/v1/alerts/tl2-alert").status() == 200);
        assertOk(api.post("/api/v1/keys/tl2-key/revoke", "{\"reason\":\"rotation\"}"), 200);
        await().atMost(TIMEOUT).until(() -> stack.receiver().received("/tl2").size() == 1);

        assertThat(steps(timeline("tl2-alert"))).containsExactly("triggered", "detected", "stored");
    }

    @Test
    void aPendingRevocationShowsWhoApprovedItThenTheKeysRevocationAndItsWebhook() {
        assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + stack.receiver().url("/tl3")
                + "\",\"eventTypes\":[\"revocation.pending\",\"key.revoked\"],\"owner\":\"team-tl3\"}"), 201);
        assertOk(api.put("/api/v1/keys/tl3-key", "{\"owner\":\"team-tl3\",\"autoRevoke\":false}"), 201);
        stack.kafka().publish(stack.settings().topics().alerts(), TestAlerts.alert("tl3-alert", "tl3-key",
                AlertRule.REVOKED_KEY_USED, Severity.CRITICAL, Instant.now()));
        String decisionId = await().atMost(TIMEOUT).until(() -> stack.receiver().received("/tl3", "revocation.pending"),
                list -> !list.isEmpty()).get(0).json().path("data").path("decisionId").asText();
        assertOk(api.withActor("alice").post("/api/v1/revocations/" + decisionId + "/approve",
                "{\"note\":\"confirmed with the owner\"}"), 200);
        await().atMost(TIMEOUT).until(() -> steps(timeline("tl3-alert")).stream()
                .filter("webhook-delivered"::equals).count() == 2);

        JsonNode timeline = timeline("tl3-alert");

        assertThat(steps(timeline)).containsExactly("triggered", "detected", "stored", "revocation-decided",
                "webhook-delivered", "revocation-approved", "key-revoked", "webhook-delivered");
        // a protected key (autoRevoke=false): the audit says so, and that a person must decide
        assertThat(find(timeline, "revocation-decided").path("status").asText()).isEqualTo("SKIPPED_PROTECTED");
        assertThat(find(timeline, "revocation-decided").path("detail").asText()).contains("waiting for approval");
        JsonNode approved = find(timeline, "revocation-approved");
        assertThat(approved.path("actor").asText()).isEqualTo("api:admin for alice");
        assertThat(approved.path("detail").asText()).contains("confirmed with the owner");
        assertThat(timeline.path("steps").get(4).path("eventType").asText()).isEqualTo("revocation.pending");
        assertThat(timeline.path("steps").get(7).path("eventType").asText()).isEqualTo("key.revoked");
        for (JsonNode step : timeline.path("steps")) {
            assertThat(step.path("sincePreviousMs").asLong()).as(step.toString()).isNotNegative();
        }
    }

    @Test
    void anUnknownAlertIs404() {
        assertThat(api.get("/api/v1/alerts/no-such-alert/timeline").status()).isEqualTo(404);
    }

    private static JsonNode timeline(String id) {
        return assertOk(api.get("/api/v1/alerts/" + id + "/timeline"), 200).json();
    }

    private static List<String> steps(JsonNode timeline) {
        List<String> steps = new ArrayList<>();
        timeline.path("steps").forEach(s -> steps.add(s.path("step").asText()));
        return steps;
    }

    private static JsonNode find(JsonNode timeline, String step) {
        for (JsonNode s : timeline.path("steps")) {
            if (s.path("step").asText().equals(step)) {
                return s;
            }
        }
        throw new AssertionError("no step " + step + " in " + timeline);
    }
}
