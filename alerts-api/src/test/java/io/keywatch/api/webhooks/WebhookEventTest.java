package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookEventTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CHANGED = Instant.parse("2026-11-27T19:00:00.123456Z");

    private final WebhookEvents events = new WebhookEvents(
            new WebhookIds(Clock.fixed(Instant.parse("2026-11-27T19:00:01Z"), ZoneOffset.UTC), new Random(7)));

    @Test
    void aRevocationBecomesKeyRevokedWithTypeTimestampAndData() throws Exception {
        KeyState revoked = new KeyState("pk_live_1", KeyStatus.REVOKED, CHANGED, "automatic: LEAKED_KEY alert a1",
                "policy:LEAKED_KEY", new KeyMetadata("team-billing", "billing", null, null, null, null, null, null,
                null, null));

        WebhookEvent event = events.keyStateChanged(revoked);
        JsonNode body = JSON.readTree(event.toJson());

        assertThat(event.type()).isEqualTo(WebhookEventType.KEY_REVOKED);
        assertThat(body.fieldNames()).toIterable().containsExactly("type", "timestamp", "data");
        assertThat(body.get("type").asText()).isEqualTo("key.revoked");
        assertThat(body.get("timestamp").asText()).isEqualTo("2026-11-27T19:00:00.123Z");
        assertThat(body.get("data").get("keyId").asText()).isEqualTo("pk_live_1");
        assertThat(body.get("data").get("status").asText()).isEqualTo("REVOKED");
        assertThat(body.get("data").get("reason").asText()).isEqualTo("automatic: LEAKED_KEY alert a1");
        assertThat(body.get("data").get("changedBy").asText()).isEqualTo("policy:LEAKED_KEY");
        assertThat(body.get("data").get("owner").asText()).isEqualTo("team-billing");
        assertThat(body.get("data").get("service").asText()).isEqualTo("billing");
    }

    @Test
    void anActiveStateBecomesKeyReinstated() {
        WebhookEvent event = events.keyStateChanged(
                new KeyState("pk_live_1", KeyStatus.ACTIVE, CHANGED, "false positive", "api:admin"));

        assertThat(event.type().wireName()).isEqualTo("key.reinstated");
        assertThat(new String(event.toJson(), StandardCharsets.UTF_8))
                .startsWith("{\"type\":\"key.reinstated\",\"timestamp\":\"2026-11-27T19:00:00.123Z\",\"data\":{")
                .doesNotContain("owner");
    }

    @Test
    void alertsBecomeAlertCreatedOrRevocationPendingWithoutRawEvidence() throws Exception {
        Alert alert = new Alert("a-1", AlertRule.values()[0], Severity.CRITICAL, "pk_live_2",
                Instant.parse("2026-11-27T18:55:00Z"), Instant.parse("2026-11-27T19:00:00Z"),
                Instant.parse("2026-11-27T18:59:00Z"), Instant.parse("2026-11-27T19:00:02Z"), 900, 100, 12.5,
                "900 requests in 5 min", Map.of("topIps", List.of("203.0.113.7")));

        JsonNode created = JSON.readTree(events.alertCreated(alert).toJson());
        JsonNode pending = JSON.readTree(events.revocationPending(alert, "key is protected from automatic revocation")
                .toJson());

        assertThat(created.get("type").asText()).isEqualTo("alert.created");
        assertThat(created.get("timestamp").asText()).isEqualTo("2026-11-27T19:00:02Z");
        assertThat(created.get("data").get("alertId").asText()).isEqualTo("a-1");
        assertThat(created.get("data").get("severity").asText()).isEqualTo("CRITICAL");
        assertThat(created.get("data").get("observed").asDouble()).isEqualTo(900);
        assertThat(created.toString()).doesNotContain("203.0.113.7");
        assertThat(pending.get("type").asText()).isEqualTo("revocation.pending");
        assertThat(pending.get("data").get("pendingReason").asText()).contains("protected");
    }

    @Test
    void theIdAndTheBytesStayTheSameForEveryRetry() {
        WebhookEvent event = events.keyStateChanged(new KeyState("k", KeyStatus.REVOKED, CHANGED, "r", "api:admin"));

        assertThat(event.toJson()).isEqualTo(event.toJson());
        assertThat(event.id()).isEqualTo(event.id()).startsWith("msg_");
    }

    @Test
    void idsAreUlidsThatSortByTimeAndNeverRepeat() {
        WebhookIds ids = WebhookIds.create();
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            made.add(ids.next());
        }
        assertThat(made).doesNotHaveDuplicates().allMatch(WebhookIds::isWellFormed);

        String early = new WebhookIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC),
                new Random(1)).next();
        String late = new WebhookIds(Clock.fixed(Instant.parse("2026-01-01T00:00:00.001Z"), ZoneOffset.UTC),
                new Random(0)).next();
        assertThat(early).isLessThan(late);
    }

    @Test
    void theUlidTimePartEncodesTheMillisecondsInCrockfordBase32() {
        String id = new WebhookIds(Clock.fixed(Instant.ofEpochMilli(1469918176385L), ZoneOffset.UTC), new Random(3))
                .next();

        // the ULID spec's example time 1469918176385 encodes as 01ARYZ6S41
        assertThat(id).startsWith("msg_01ARYZ6S41").hasSize(4 + 26);
    }

    @Test
    void eventTypesParseFromTheirWireNames() {
        assertThat(WebhookEventType.parse("key.revoked")).isEqualTo(WebhookEventType.KEY_REVOKED);
        assertThat(WebhookEventType.parse("revocation.pending")).isEqualTo(WebhookEventType.REVOCATION_PENDING);
        assertThatThrownBy(() -> WebhookEventType.parse("key.deleted"))
                .hasMessageContaining("unknown webhook event type 'key.deleted'")
                .hasMessageContaining("alert.created");
    }

    @Test
    void refusesIdsWithoutThePrefixOrWithADot() {
        assertThatThrownBy(() -> new WebhookEvent("evt_1", WebhookEventType.ALERT_CREATED, CHANGED, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookEvent("msg_1.2", WebhookEventType.ALERT_CREATED, CHANGED, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
