package io.keywatch.api.audit;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every change made over HTTP lands in the audit trail with its attribution; verify and export over HTTP. */
@ExtendWith(SharedInfra.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditTrailHttpTest {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private static RunningApi running;
    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker, base -> base.withWebhooks(TestServices.webhooks()));
        settings = running.settings();
        service = running.service();
        api = running.api();
        kafka = running.kafka();
    }

    @AfterAll
    static void stopService() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    @Order(1) // counts entries from the first one
    void everyChangeIsRecordedWithWhoWhatAndBeforeAfterAndTheChainVerifies() throws Exception {
        ApiClient alice = api.withActor("alice@example.com");
        assertOk(alice.put("/api/v1/keys/audit-key-1", "{\"owner\":\"team-a\",\"service\":\"billing\"}"), 201);
        assertOk(alice.put("/api/v1/keys/audit-key-1", "{\"owner\":\"team-b\",\"service\":\"billing\"}"), 200);
        assertOk(alice.post("/api/v1/keys/audit-key-1/revoke", "{\"reason\":\"leaked in a log\"}"), 200);
        assertOk(alice.post("/api/v1/keys/audit-key-1/reinstate", "{\"reason\":\"false alarm\"}"), 200);
        String silence = assertOk(alice.post("/api/v1/silences", "{\"keyId\":\"audit-key-1\",\"expiresAt\":\""
                + Instant.now().plus(Duration.ofHours(1)) + "\",\"comment\":\"pen test\"}"), 201).json()
                .path("id").asText();
        assertOk(alice.delete("/api/v1/silences/" + silence), 204);
        Response hook = assertOk(alice.post("/api/v1/webhooks", "{\"url\":\"http://127.0.0.1:9/hook\","
                + "\"eventTypes\":[\"alert.created\"]}"), 201);
        String secret = hook.json().path("secret").asText();
        String hookId = hook.json().path("id").asText();
        assertOk(alice.delete("/api/v1/webhooks/" + hookId), 204);

        Alert alert = TestAlerts.occurrence("audit-key-2", AlertRule.VOLUME_SPIKE, Severity.HIGH,
                Instant.now().truncatedTo(ChronoUnit.MINUTES), 1000);
        kafka.publish(settings.topics().alerts(), alert);
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/api/v1/alerts/" + alert.id()).status() == 200);
        assertOk(alice.post("/api/v1/alerts/" + alert.id() + "/acknowledge", "{\"note\":\"looking\"}"), 200);

        Response export = api.get("/api/v1/audit/export");
        assertThat(export.status()).isEqualTo(200);
        assertThat(export.contentType()).startsWith(AuditTrailController.NDJSON);
        assertThat(export.body()).doesNotContain(secret);
        List<JsonNode> entries = lines(export.body());
        assertThat(entries).extracting(e -> e.path("action").asText()).containsExactly("key.registered",
                "key.updated", "key.revoked", "key.reinstated", "silence.created", "silence.deleted",
                "webhook.created", "webhook.deleted", "alert.acknowledged");
        JsonNode first = entries.get(0);
        assertThat(first.path("id").asLong()).isEqualTo(1);
        assertThat(first.path("identity").asText()).isEqualTo("api:admin");
        assertThat(first.path("role").asText()).isEqualTo("admin");
        assertThat(first.path("authMethod").asText()).isEqualTo("admin-token");
        assertThat(first.path("onBehalfOf").asText()).isEqualTo("alice@example.com");
        assertThat(first.path("sourceAddress").asText()).isNotBlank();
        assertThat(first.path("requestId").asText()).isNotBlank();
        assertThat(first.path("targetType").asText()).isEqualTo("key");
        assertThat(first.path("targetId").asText()).isEqualTo("audit-key-1");
        assertThat(first.get("before").isNull()).isTrue();
        JsonNode updated = entries.get(1);
        assertThat(updated.path("before").path("metadata").path("owner").asText()).isEqualTo("team-a");
        assertThat(updated.path("after").path("metadata").path("owner").asText()).isEqualTo("team-b");
        assertThat(entries.get(2).path("after").path("status").asText()).isEqualTo("REVOKED");
        JsonNode webhook = entries.get(6).path("after");
        assertThat(webhook.path("secretFingerprint").asText()).isNotBlank();
        assertThat(webhook.has("secret")).isFalse();
        JsonNode ack = entries.get(8);
        assertThat(ack.path("before").path("status").asText()).isEqualTo("OPEN");
        assertThat(ack.path("after").path("status").asText()).isEqualTo("ACKNOWLEDGED");

        JsonNode verified = assertOk(api.get("/api/v1/audit/verify"), 200).json();
        assertThat(verified.path("ok").asBoolean()).isTrue();
        assertThat(verified.path("entries").asLong()).isEqualTo(9);
        assertThat(verified.path("head").asText()).isEqualTo(ack.path("hash").asText());

        // paging: afterId and limit
        assertThat(lines(api.get("/api/v1/audit/export?afterId=7&limit=1").body()))
                .extracting(e -> e.path("id").asLong()).containsExactly(8L);

        // someone with the owner's keys (the API's own role cannot: AppRoleGrantsTest) rewrites who revoked the key
        sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "UPDATE audit_log SET on_behalf_of = 'mallory' WHERE id = 3",
                "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        JsonNode broken = assertOk(api.get("/api/v1/audit/verify"), 200).json();
        assertThat(broken.path("ok").asBoolean()).isFalse();
        assertThat(broken.path("brokenAt").asLong()).isEqualTo(3);
        assertThat(broken.path("reason").asText()).contains("changed after it was written");
        assertThat(broken.has("head")).isFalse();
    }

    @Test
    @Order(2)
    void policyRevocationsAndAnswersToPendingDecisionsAreRecorded() throws Exception {
        long before = lines(api.get("/api/v1/audit/export?limit=10000").body()).size();
        assertOk(api.put("/api/v1/keys/audit-protected", "{\"owner\":\"team-a\",\"autoRevoke\":false}"), 201);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        kafka.publish(settings.topics().alerts(), TestAlerts.occurrence("audit-policy", AlertRule.VOLUME_SPIKE,
                Severity.CRITICAL, now, 5000));
        kafka.publish(settings.topics().alerts(), TestAlerts.occurrence("audit-protected", AlertRule.VOLUME_SPIKE,
                Severity.CRITICAL, now, 5000));
        JsonNode pending = await().atMost(Duration.ofSeconds(30)).until(() -> api.get(
                        "/api/v1/revocations?status=PENDING_APPROVAL&keyId=audit-protected").json().path("items"),
                items -> items.size() == 1).get(0);
        assertOk(api.withActor("bob").post("/api/v1/revocations/" + pending.path("id").asText() + "/approve",
                "{\"note\":\"confirmed\"}"), 200);
        await().atMost(Duration.ofSeconds(30)).until(() -> lines(api.get("/api/v1/audit/export?afterId=" + before)
                .body()).stream().anyMatch(e -> e.path("targetId").asText().equals("audit-policy")));

        List<JsonNode> entries = lines(api.get("/api/v1/audit/export?afterId=" + before).body());
        JsonNode policy = entries.stream().filter(e -> e.path("targetId").asText().equals("audit-policy"))
                .findFirst().orElseThrow();
        assertThat(policy.path("action").asText()).isEqualTo("key.revoked");
        assertThat(policy.path("identity").asText()).isEqualTo("policy:VOLUME_SPIKE");
        assertThat(policy.path("authMethod").asText()).isEqualTo("system");
        assertThat(policy.get("role").isNull()).isTrue();
        assertThat(entries).filteredOn(e -> e.path("identity").asText().equals("api:admin")
                        && "bob".equals(e.path("onBehalfOf").asText()))
                .extracting(e -> e.path("action").asText() + " " + e.path("targetId").asText())
                .containsExactly("revocation.approved " + pending.path("id").asText(),
                        "key.revoked audit-protected");
    }

    @Test
    void exportParametersAreCheckedAndNamed() {
        assertThat(assertError(api.get("/api/v1/audit/export?limit=0"), 400)).contains("limit");
        assertThat(assertError(api.get("/api/v1/audit/export?limit=10001"), 400)).contains("limit");
        assertThat(assertError(api.get("/api/v1/audit/export?since=yesterday"), 400)).contains("since");
        assertThat(assertError(api.get("/api/v1/audit/export?afterId=-1"), 400)).contains("afterId");
        assertThat(assertError(api.get("/api/v1/audit/export?afterId=1e9"), 400)).contains("afterId");
        assertThat(assertError(api.get("/api/v1/audit/export?since=2026-01-01T00:00:00Z&until=2025-01-01T00:00:00Z"),
                400)).contains("until");
        assertThat(assertError(api.get("/api/v1/audit/export?since=2020-01-01T00:00:00Z&until=2025-01-01T00:00:00Z"),
                400)).contains("until");
        assertThat(api.get("/api/v1/audit/export?since=2020-01-01T00:00:00Z&until=2020-02-01T00:00:00Z").body())
                .isEmpty();
        assertThat(api.withToken("wrong").get("/api/v1/audit/verify").status()).isEqualTo(401);
    }

    private static List<JsonNode> lines(String body) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (!line.isEmpty()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    private static void sql(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(settings.dbUrl(), settings.migration().user(),
                settings.migration().password());
             Statement statement = connection.createStatement()) {
            for (String s : statements) {
                statement.execute(s);
            }
        }
    }
}
