package io.keywatch.api.revocation;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.api.support.WebhookTestStack;
import io.keywatch.api.support.WebhookReceiver.Received;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
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
 * The revocation policy as a person meets it: rules, protected keys asking for approval, approve, deny, reinstate,
 * and the audit log; each change published to key-state and announced to the issuer through webhooks.
 */
@ExtendWith(SharedInfra.class)
class RevocationWorkflowTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;
    private static WebhookReceiver receiver;

    private static WebhookTestStack stack;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = WebhookTestStack.start(postgres, broker);
        settings = stack.settings();
        service = stack.service();
        api = stack.api();
        kafka = stack.kafka();
        receiver = stack.receiver();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aProtectedKeyAsksForAPersonWhoApprovesThenReinstatesAndEveryStepIsPublished() {
        String secret = subscribe("/p1", "team-p1");
        register("p1-key", "team-p1", false);
        Alert alert = TestAlerts.alert("p1-alert", "p1-key", AlertRule.REVOKED_KEY_USED, Severity.CRITICAL,
                Instant.now());

        kafka.publish(settings.topics().alerts(), alert);

        Received pending = awaitType("/p1", "revocation.pending", 1).get(0);
        assertSigned(pending, secret);
        String decisionId = pending.json().path("data").path("decisionId").asText();
        assertThat(pending.json().path("data").path("keyId").asText()).isEqualTo("p1-key");
        assertThat(pending.json().path("data").path("pendingReason").asText()).contains("autoRevoke=false");
        JsonNode waiting = api.get("/api/v1/revocations?status=PENDING_APPROVAL&keyId=p1-key").json().path("items");
        assertThat(waiting).hasSize(1);
        assertThat(waiting.get(0).path("id").asText()).isEqualTo(decisionId);
        assertThat(waiting.get(0).path("pendingReason").asText()).isEqualTo("PROTECTED");
        assertThat(waiting.get(0).path("alerts").findValuesAsText("alertId")).containsExactly("p1-alert");
        assertThat(api.get("/api/v1/keys/p1-key").json().path("status").asText()).isEqualTo("ACTIVE");

        Response approved = assertOk(api.withActor("alice").post("/api/v1/revocations/" + decisionId + "/approve",
                "{\"note\":\"confirmed with the owner\"}"), 200);
        assertThat(approved.json().path("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.json().path("decidedBy").asText()).isEqualTo("api:admin");
        assertThat(approved.json().path("decidedOnBehalfOf").asText()).isEqualTo("alice");
        assertThat(approved.json().path("note").asText()).isEqualTo("confirmed with the owner");
        JsonNode key = api.get("/api/v1/keys/p1-key").json();
        assertThat(key.path("status").asText()).isEqualTo("REVOKED");
        assertThat(key.path("changedBy").asText()).isEqualTo("api:admin");
        assertThat(key.path("changedOnBehalfOf").asText()).isEqualTo("alice");
        assertSigned(awaitType("/p1", "key.revoked", 1).get(0), secret);
        assertThat(assertError(api.post("/api/v1/revocations/" + decisionId + "/approve", ""), 409))
                .contains("APPROVED");
        assertThat(assertError(api.post("/api/v1/revocations/" + decisionId + "/deny", ""), 409)).contains("APPROVED");

        Response reinstated = assertOk(api.withActor("bob").post("/api/v1/keys/p1-key/reinstate",
                "{\"reason\":\"rotated, false alarm\"}"), 200);
        assertThat(reinstated.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(reinstated.json().path("changedBy").asText()).isEqualTo("api:admin");
        assertThat(reinstated.json().path("changedOnBehalfOf").asText()).isEqualTo("bob");
        Received back = awaitType("/p1", "key.reinstated", 1).get(0);
        assertSigned(back, secret);
        assertThat(back.json().path("data").path("reason").asText()).isEqualTo("rotated, false alarm");
        assertThat(assertError(api.post("/api/v1/keys/p1-key/reinstate", "{\"reason\":\"again\"}"), 409))
                .contains("ACTIVE");
        assertError(api.post("/api/v1/keys/never-seen/reinstate", "{\"reason\":\"x\"}"), 404);
        assertError(api.post("/api/v1/keys/p1-key/reinstate", "{}"), 400);

        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), "p1-key", Duration.ofMillis(500));
        assertThat(states).extracting(KeyState::status)
                .containsSubsequence(KeyStatus.REVOKED, KeyStatus.ACTIVE)
                .last().isEqualTo(KeyStatus.ACTIVE);

        JsonNode audit = api.get("/api/v1/audit?keyId=p1-key").json().path("items");
        assertThat(audit.findValuesAsText("action")).containsExactly("REINSTATED", "APPROVED", "SKIPPED_PROTECTED");
        assertThat(audit.findValuesAsText("actor")).containsExactly("api:admin", "api:admin", "policy:REVOKED_KEY_USED");
        assertThat(audit.get(0).path("onBehalfOf").asText()).isEqualTo("bob");
        assertThat(audit.get(1).path("onBehalfOf").asText()).isEqualTo("alice");
        assertThat(audit.get(2).path("onBehalfOf").textValue()).isNull();
        assertThat(audit.get(1).path("decisionId").asText()).isEqualTo(decisionId);
        assertThat(audit.get(1).path("alertIds").get(0).asText()).isEqualTo("p1-alert");
    }

    @Test
    void aDeniedDecisionLeavesTheKeyActive() {
        register("p2-key", "team-p2", false);
        kafka.publish(settings.topics().alerts(), TestAlerts.alert("p2-alert", "p2-key", AlertRule.VOLUME_SPIKE,
                Severity.CRITICAL, Instant.now()));
        JsonNode decision = await().atMost(TIMEOUT).until(
                () -> api.get("/api/v1/revocations?keyId=p2-key").json().path("items"), items -> items.size() == 1)
                .get(0);

        Response denied = assertOk(api.withActor("carol").post("/api/v1/revocations/" + decision.path("id").asText()
                + "/deny", "{\"note\":\"load test\"}"), 200);

        assertThat(denied.json().path("status").asText()).isEqualTo("DENIED");
        assertThat(api.get("/api/v1/keys/p2-key").json().path("status").asText()).isEqualTo("ACTIVE");
        JsonNode deniedAudit = api.get("/api/v1/audit?keyId=p2-key&action=DENIED").json().path("items");
        assertThat(deniedAudit.findValuesAsText("actor")).containsExactly("api:admin");
        assertThat(deniedAudit.findValuesAsText("onBehalfOf")).containsExactly("carol");
        assertError(api.post("/api/v1/revocations/rd_nope/approve", ""), 404);
        String approve = "/api/v1/revocations/" + decision.path("id").asText() + "/approve";
        assertThat(assertError(api.post(approve, "{\"x\":1}"), 400))
                .contains("unknown field, expected some of [note]");
        assertThat(assertError(api.post(approve, "{\"note\":5}"), 400)).contains("note must be a string, got number");
    }

    @Test
    void onlyTheListedRulesRevokeAutomatically() {
        Alert fanout = TestAlerts.alert("r-alert", "r-key", AlertRule.IP_FANOUT, Severity.CRITICAL, Instant.now());
        Alert spike = TestAlerts.alert("r-alert-2", "r-key-2", AlertRule.VOLUME_SPIKE, Severity.CRITICAL,
                Instant.now());

        kafka.publish(settings.topics().alerts(), fanout);
        kafka.publish(settings.topics().alerts(), spike);

        await().atMost(TIMEOUT).until(() -> api.get("/api/v1/keys/r-key-2").json().path("status").asText(),
                "REVOKED"::equals);
        await().atMost(TIMEOUT).until(() -> api.get("/api/v1/alerts/r-alert").status() == 200);
        assertThat(api.get("/api/v1/keys/r-key").json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/v1/audit?keyId=r-key").json().path("items")).isEmpty();
        assertThat(api.get("/api/v1/revocations?keyId=r-key-2&status=REVOKED").json().path("items")).hasSize(1);
    }

    @Test
    void theAuditLogFiltersAndPages() {
        Instant before = Instant.now();
        for (int i = 1; i <= 5; i++) {
            assertOk(api.withActor("dave").post("/api/v1/keys/aud-" + i + "/revoke", "{\"reason\":\"audit " + i
                    + "\"}"), 200);
        }
        assertOk(api.post("/api/v1/keys/aud-3/reinstate", "{\"reason\":\"mistake\"}"), 200);

        List<String> keys = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = assertOk(api.get("/api/v1/audit?action=MANUAL_REVOKE&since=" + before + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)), 200).json();
            page.path("items").forEach(e -> keys.add(e.path("keyId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(keys).containsExactly("aud-5", "aud-4", "aud-3", "aud-2", "aud-1");
        assertThat(pages).isEqualTo(3);
        assertThat(api.get("/api/v1/audit?keyId=aud-3").json().path("items").findValuesAsText("action"))
                .containsExactly("REINSTATED", "MANUAL_REVOKE");
        assertThat(api.get("/api/v1/audit?keyId=aud-3&until=" + before).json().path("items")).isEmpty();
        assertThat(assertError(api.get("/api/v1/audit?action=EXPLODED"), 400)).contains("MANUAL_REVOKE");
        assertThat(assertError(api.get("/api/v1/audit?cursor=garbage"), 400)).contains("cursor");
        assertThat(assertError(api.get("/api/v1/audit?since=yesterday"), 400)).contains("since");
        assertThat(assertError(api.get("/api/v1/revocations?status=MAYBE"), 400)).contains("PENDING_APPROVAL");
    }

    private static String subscribe(String path, String owner) {
        return assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url(path) + "\",\"owner\":\"" + owner
                + "\"}"), 201).json().path("secret").asText();
    }

    private static void register(String keyId, String owner, boolean autoRevoke) {
        assertOk(api.put("/api/v1/keys/" + keyId, "{\"owner\":\"" + owner + "\",\"autoRevoke\":" + autoRevoke + "}"),
                201);
    }

    private static List<Received> awaitType(String path, String type, int count) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> receiver.received(path, type), list -> list.size() >= count);
    }

    private static void assertSigned(Received received, String secret) {
        assertThatCode(() -> new Webhook(secret).verify(received.bodyText(), received.headers()))
                .doesNotThrowAnyException();
    }
}
