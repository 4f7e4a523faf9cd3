package io.keywatch.api.webhooks;

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
import io.keywatch.api.support.WebhookReceiver.Answer;
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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhooks end to end: alerts on Kafka, the service on PostgreSQL, deliveries to a receiver on 127.0.0.1, every
 * signature checked with the Standard Webhooks reference library (not keywatch's own signer). Each test registers
 * its keys under its own owner and subscribes to that owner only, so tests never see each other's events.
 */
@ExtendWith(SharedInfra.class)
class WebhookDeliveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDeliveryTest.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;
    private static WebhookReceiver receiver;

    /** A subscription as created: its id and the secret shown once. */
    record Subscription(String id, String secret) {
    }

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
    void aCriticalAlertRevokesTheKeyAndTheIssuerGetsOneCorrectlySignedKeyRevoked() {
        Subscription sub = subscribe("/t1", "team-t1", "key.revoked");
        register("t1-key", "team-t1", true);
        Alert alert = TestAlerts.alert("t1-alert", "t1-key", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL,
                Instant.now());

        kafka.publish(settings.topics().alerts(), alert);

        Received received = awaitReceived("/t1", 1).get(0);
        assertSigned(received, sub);
        JsonNode body = received.json();
        assertThat(body.path("type").asText()).isEqualTo("key.revoked");
        assertThat(body.path("data").path("keyId").asText()).isEqualTo("t1-key");
        assertThat(body.path("data").path("status").asText()).isEqualTo("REVOKED");
        assertThat(body.path("data").path("owner").asText()).isEqualTo("team-t1");
        assertThat(body.path("data").path("changedBy").asText()).isEqualTo("policy:AUTH_FAILURE_BURST");
        assertThat(WebhookIds.isWellFormed(received.webhookId())).isTrue();

        Instant revokedAt = Instant.parse(api.get("/api/v1/keys/t1-key").json().path("changedAt").asText());
        long latencyMs = Duration.between(revokedAt, received.at()).toMillis();
        LOG.info("revocation -> webhook receipt: {} ms", latencyMs);
        assertThat(latencyMs).as("revocation to webhook receipt, ms").isLessThan(1_500);

        // exactly one: the relay does not send it again
        sleep(Duration.ofMillis(700));
        assertThat(receiver.received("/t1")).hasSize(1);
        JsonNode log = assertOk(api.get("/api/v1/webhooks/" + sub.id() + "/deliveries"), 200).json();
        assertThat(log.path("items")).hasSize(1);
        JsonNode delivery = log.path("items").get(0);
        assertThat(delivery.path("id").asText()).isEqualTo(received.webhookId());
        assertThat(delivery.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(delivery.path("eventType").asText()).isEqualTo("key.revoked");
        assertThat(delivery.path("attemptLog")).hasSize(1);
        assertThat(delivery.path("attemptLog").get(0).path("statusCode").asInt()).isEqualTo(200);
        assertThat(delivery.path("attemptLog").get(0).has("latencyMs")).isTrue();

        JsonNode audit = api.get("/api/v1/audit?keyId=t1-key").json().path("items");
        assertThat(audit.findValuesAsText("action")).containsExactly("REVOKED");
        assertThat(audit.get(0).path("actor").asText()).isEqualTo("policy:AUTH_FAILURE_BURST");
        assertThat(audit.get(0).path("alertIds").findValuesAsText("")).isEmpty();
        assertThat(audit.get(0).path("alertIds").get(0).asText()).isEqualTo("t1-alert");
        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), "t1-key", Duration.ofMillis(300));
        assertThat(states).last().extracting(KeyState::status).isEqualTo(KeyStatus.REVOKED);
    }

    @Test
    void aFailingSlowOrRateLimitingReceiverGetsTheDeliveryLaterWithTheSameWebhookId() {
        Subscription failing = subscribe("/t2-500", "team-t2a", "key.revoked");
        Subscription slow = subscribe("/t2-slow", "team-t2b", "key.revoked");
        Subscription limited = subscribe("/t2-429", "team-t2c", "key.revoked");
        receiver.script("/t2-500", Answer.status(500), Answer.status(503));
        receiver.script("/t2-slow", Answer.slow(Duration.ofMillis(1_500)));
        receiver.script("/t2-429", Answer.retryAfter(429, "1"));
        for (String team : List.of("t2a", "t2b", "t2c")) {
            register("key-" + team, "team-" + team, true);
            revoke("key-" + team);
        }

        List<Received> failed = awaitReceived("/t2-500", 3);
        assertThat(failed).extracting(Received::webhookId).containsOnly(failed.get(0).webhookId());
        failed.forEach(r -> assertSigned(r, failing));
        List<Received> timedOut = awaitReceived("/t2-slow", 2);
        assertThat(timedOut).extracting(Received::webhookId).containsOnly(timedOut.get(0).webhookId());
        timedOut.forEach(r -> assertSigned(r, slow));
        List<Received> limitedCalls = awaitReceived("/t2-429", 2);
        assertThat(limitedCalls).extracting(Received::webhookId).containsOnly(limitedCalls.get(0).webhookId());
        limitedCalls.forEach(r -> assertSigned(r, limited));
        assertThat(Duration.between(limitedCalls.get(0).at(), limitedCalls.get(1).at()))
                .as("Retry-After: 1 is honoured over the 200 ms schedule").isGreaterThan(Duration.ofMillis(900));

        JsonNode failedLog = awaitDelivered(failing).path("attemptLog");
        assertThat(failedLog.findValuesAsText("outcome")).containsExactly("RETRY", "RETRY", "DELIVERED");
        assertThat(failedLog.get(0).path("statusCode").asInt()).isEqualTo(500);
        assertThat(failedLog.get(0).path("nextStep").asText()).isEqualTo("RETRY");
        assertThat(failedLog.get(1).path("statusCode").asInt()).isEqualTo(503);
        JsonNode slowLog = awaitDelivered(slow).path("attemptLog");
        assertThat(slowLog.get(0).path("statusCode").isMissingNode() || slowLog.get(0).path("statusCode").isNull())
                .isTrue();
        assertThat(slowLog.get(0).path("error").asText()).contains("timed out");
        JsonNode limitedLog = awaitDelivered(limited).path("attemptLog");
        assertThat(limitedLog.get(0).path("statusCode").asInt()).isEqualTo(429);
        assertThat(limitedLog.get(0).path("retryAfterMs").asLong()).isEqualTo(1_000);
    }

    @Test
    void aReceiverAnswering410IsDisabled() {
        Subscription sub = subscribe("/t3", "team-t3", "key.revoked");
        receiver.answerByDefault("/t3", Answer.status(410));
        register("t3-key-1", "team-t3", true);
        register("t3-key-2", "team-t3", true);

        revoke("t3-key-1");

        awaitReceived("/t3", 1);
        JsonNode subscription = await().atMost(TIMEOUT).until(() -> api.get("/api/v1/webhooks/" + sub.id()).json(),
                s -> !s.path("enabled").asBoolean());
        assertThat(subscription.path("disabledReason").asText()).contains("410");
        assertThat(api.get("/api/v1/webhooks/" + sub.id() + "/deliveries?status=FAILED").json().path("items"))
                .hasSize(1);
        revoke("t3-key-2");
        sleep(Duration.ofMillis(500));
        assertThat(receiver.received("/t3")).as("a disabled endpoint gets nothing more").hasSize(1);
    }

    @Test
    void aDeliveryPastTheScheduleIsKeptTheEndpointIsFailingAndARedeliveryProbesItNowWithTheSameWebhookId() {
        Subscription sub = subscribe("/t4", "team-t4", "key.revoked");
        receiver.answerByDefault("/t4", Answer.status(500));
        register("t4-key", "team-t4", true);
        revoke("t4-key");

        List<Received> attempts = awaitReceived("/t4", 4);
        JsonNode failing = await().atMost(TIMEOUT).until(() -> api.get("/api/v1/webhooks/" + sub.id()).json(),
                s -> s.path("state").asText().equals("FAILING"));
        assertThat(failing.path("failingSince").asText()).isNotEmpty();
        assertThat(failing.path("lastError").asText()).contains("retry schedule used up after 4 attempts")
                .contains("HTTP 500");
        assertThat(failing.path("nextProbeAt").asText()).isNotEmpty();
        assertThat(api.get("/api/v1/webhooks?state=FAILING").json().path("items").findValuesAsText("id"))
                .contains(sub.id());
        assertThat(api.get("/api/v1/webhooks?state=HEALTHY").json().path("items").findValuesAsText("id"))
                .doesNotContain(sub.id());
        assertError(api.get("/api/v1/webhooks?state=SICK"), 400);
        JsonNode delivery = deliveries(sub, "").get(0);
        assertThat(delivery.path("status").asText()).as("kept for the probes, not FAILED").isEqualTo("PENDING");
        assertThat(delivery.path("attempts").asInt()).isEqualTo(4);
        assertThat(delivery.path("attemptLog").findValuesAsText("nextStep"))
                .containsExactly("RETRY", "RETRY", "RETRY", "ENDPOINT_FAILING");
        JsonNode alerts = api.get("/api/v1/alerts?rule=WEBHOOK_FAILING&keyId=" + sub.id()).json().path("items");
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).path("severity").asText()).isEqualTo("HIGH");
        assertThat(alerts.get(0).toString()).doesNotContain("/t4"); // the origin only, never the URL's path
        sleep(Duration.ofMillis(500));
        assertThat(receiver.received("/t4")).as("the first probe waits a minute").hasSize(4);

        receiver.answerByDefault("/t4", Answer.status(204));
        Response redelivered = api.post("/api/v1/webhooks/" + sub.id() + "/deliveries/"
                + delivery.path("id").asText() + "/redeliver", "");
        assertThat(redelivered.status()).as(redelivered.body()).isEqualTo(202);

        List<Received> all = awaitReceived("/t4", 5);
        assertThat(all).extracting(Received::webhookId).containsOnly(attempts.get(0).webhookId());
        assertSigned(all.get(4), sub);
        assertThat(awaitDelivered(sub).path("attempts").asInt()).isEqualTo(5);
        assertThat(api.get("/api/v1/webhooks/" + sub.id()).json().path("state").asText()).isEqualTo("HEALTHY");
        assertThat(api.get("/api/v1/alerts?rule=WEBHOOK_FAILING&keyId=" + sub.id()).json().path("items"))
                .as("once per failing episode").hasSize(1);
        assertError(api.post("/api/v1/webhooks/" + sub.id() + "/deliveries/msg_nope/redeliver", ""), 404);
    }

    @Test
    void recoverRequeuesTheFailedDeliveriesOfTheRangeWithTheirIdsAndValidatesItsBody() throws Exception {
        Subscription sub = subscribe("/t6", "team-t6", "key.revoked");
        register("t6-key-1", "team-t6", true);
        register("t6-key-2", "team-t6", true);
        Instant since = Instant.now().minusSeconds(1);
        revoke("t6-key-1");
        revoke("t6-key-2");
        List<Received> first = awaitReceived("/t6", 2);
        await().atMost(TIMEOUT).until(() -> deliveries(sub, "?status=DELIVERED").size() == 2);
        // what a disabled-then-fixed endpoint or an old release's exhausted schedule left behind
        try (var connection = java.sql.DriverManager.getConnection(settings.dbUrl(), settings.dbUser(),
                settings.dbPassword()); var update = connection.prepareStatement(
                "UPDATE webhook_deliveries SET status = 'FAILED', failed_at = now() WHERE subscription_id = ?")) {
            update.setString(1, sub.id());
            assertThat(update.executeUpdate()).isEqualTo(2);
        }
        String recover = "/api/v1/webhooks/" + sub.id() + "/recover";

        assertThat(assertError(api.post(recover, "{}"), 400)).contains("since is required");
        assertThat(assertError(api.post(recover, "{\"since\":\"yesterday\"}"), 400)).contains("since");
        assertThat(assertError(api.post(recover, "{\"since\":\"" + since + "\",\"until\":\"" + since.minusSeconds(5)
                + "\"}"), 400)).contains("until must be after since");
        assertThat(assertError(api.post(recover, "{\"since\":\"" + since.minus(Duration.ofDays(40)) + "\",\"until\":\""
                + since + "\"}"), 400)).contains("at most 31 days");
        assertThat(assertError(api.post(recover, "{\"since\":\"" + since + "\",\"from\":1}"), 400))
                .contains("unknown field");
        assertThat(assertError(api.post(recover, "{\"since\":\"" + since.plusSeconds(3600) + "\"}"), 400))
                .contains("future");
        assertError(api.post("/api/v1/webhooks/wh_nope/recover", "{\"since\":\"" + since + "\"}"), 404);
        Response empty = assertOk(api.post(recover, "{\"since\":\"" + since.minusSeconds(60) + "\",\"until\":\""
                + since.minusSeconds(30) + "\"}"), 202);
        assertThat(empty.json().path("requeued").asInt()).as("nothing in that range").isZero();

        Response recovered = assertOk(api.post(recover, "{\"since\":\"" + since + "\"}"), 202);

        assertThat(recovered.json().path("requeued").asInt()).isEqualTo(2);
        List<Received> all = awaitReceived("/t6", 4);
        assertThat(all.subList(2, 4)).extracting(Received::webhookId)
                .containsExactlyInAnyOrderElementsOf(first.stream().map(Received::webhookId).toList());
        await().atMost(TIMEOUT).until(() -> deliveries(sub, "?status=DELIVERED").size() == 2);
        Response again = assertOk(api.post(recover, "{\"since\":\"" + since + "\"}"), 202);
        assertThat(again.json().path("requeued").asInt()).as("idempotent").isZero();
    }

    @Test
    void alertCreatedIsSentOncePerAlertNotPerOccurrence() {
        Subscription sub = subscribe("/t5", "team-t5", "alert.created");
        register("t5-key", "team-t5", true);
        Instant window = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minusSeconds(600);
        Alert first = TestAlerts.occurrence("t5-key", AlertRule.IP_FANOUT, Severity.HIGH, window, 40);
        Alert second = TestAlerts.occurrence("t5-key", AlertRule.IP_FANOUT, Severity.HIGH, window.plusSeconds(60), 50);

        kafka.publish(settings.topics().alerts(), first);
        kafka.publish(settings.topics().alerts(), second);

        Received created = awaitReceived("/t5", 1).get(0);
        assertSigned(created, sub);
        assertThat(created.json().path("data").path("alertId").asText()).isEqualTo(first.id());
        await().atMost(TIMEOUT).until(() -> api.get("/api/v1/alerts/" + first.id()).json().path("occurrences").asInt(),
                n -> n == 2);
        sleep(Duration.ofMillis(500));
        assertThat(receiver.received("/t5")).hasSize(1);
    }

    @Test
    void subscriptionsAreValidatedListedWithoutTheirSecretAndDeleted() {
        assertThat(assertError(post("{\"url\":\"http://10.0.0.5/hook\"}"), 400)).contains("10.0.0.5")
                .contains("private");
        assertThat(assertError(post("{\"url\":\"http://169.254.169.254/latest/meta-data\"}"), 400))
                .contains("metadata");
        assertThat(assertError(post("{\"url\":\"ftp://127.0.0.1/x\"}"), 400)).contains("https");
        assertThat(assertError(post("{\"url\":\"https://user:pw@127.0.0.1/x\"}"), 400)).contains("password");
        assertThat(assertError(post("{\"eventTypes\":[\"key.revoked\"]}"), 400)).contains("url is required");
        assertThat(assertError(post("{\"url\":\"" + receiver.url("/v") + "\",\"eventTypes\":[\"key.stolen\"]}"),
                400)).contains("key.stolen");
        assertThat(assertError(post("{\"url\":\"" + receiver.url("/v") + "\",\"eventTypes\":[]}"), 400))
                .contains("non-empty");
        assertThat(assertError(post("{\"url\":\"" + receiver.url("/v") + "\",\"secret\":\"x\"}"), 400))
                .contains("unknown field");

        Response created = assertOk(api.withActor("alice").post("/api/v1/webhooks", "{\"url\":\""
                + receiver.url("/v") + "\",\"description\":\"payments issuer\",\"service\":\"billing\"}"), 201);
        String id = created.json().path("id").asText();
        String secret = created.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_");
        assertThat(created.json().path("eventTypes").findValuesAsText(""))
                .isEmpty();
        assertThat(created.json().path("eventTypes")).hasSize(4);
        assertThat(created.json().path("createdBy").asText()).isEqualTo("api:admin");
        assertThat(created.json().path("onBehalfOf").asText()).isEqualTo("alice");
        String fingerprint = WebhookSecret.parse(secret).fingerprint();
        assertThat(created.json().path("secretFingerprint").asText()).isEqualTo(fingerprint);

        Response one = assertOk(api.get("/api/v1/webhooks/" + id), 200);
        assertThat(one.body()).doesNotContain(secret).doesNotContain("whsec_");
        assertThat(one.json().path("secretFingerprint").asText()).isEqualTo(fingerprint);
        Response list = assertOk(api.get("/api/v1/webhooks"), 200);
        assertThat(list.body()).doesNotContain("whsec_");
        assertThat(list.json().path("items").findValuesAsText("id")).contains(id);

        assertThat(api.delete("/api/v1/webhooks/" + id).status()).isEqualTo(204);
        assertError(api.get("/api/v1/webhooks/" + id), 404);
        assertError(api.delete("/api/v1/webhooks/" + id), 404);
        assertThat(api.get("/api/v1/webhooks").json().path("items").findValuesAsText("id")).doesNotContain(id);
        assertError(api.get("/api/v1/webhooks/" + id + "/deliveries"), 404);
    }

    @Test
    void aRotatedSecretIsShownOnceAndTheOldAndNewBothVerifyDuringTheGrace() {
        Subscription old = subscribe("/rot", "team-rot", "key.revoked");
        String rotate = "/api/v1/webhooks/" + old.id() + "/rotate-secret";
        assertError(api.post(rotate, "{\"graceHours\":169}"), 400);
        assertError(api.post(rotate, "{\"graceHours\":-1}"), 400);
        assertError(api.post(rotate, "{\"graceHours\":\"24\"}"), 400);
        assertError(api.post(rotate, "{\"grace\":24}"), 400);
        assertError(api.post("/api/v1/webhooks/wh_unknown/rotate-secret", ""), 404);

        Response rotated = assertOk(api.post(rotate, "{\"graceHours\":1}"), 200);
        String secret = rotated.json().path("secret").asText();
        assertThat(secret).startsWith("whsec_").isNotEqualTo(old.secret());
        assertThat(rotated.json().path("secretFingerprint").asText())
                .isEqualTo(WebhookSecret.parse(secret).fingerprint());
        assertThat(rotated.json().path("previousSecretValidUntil").asText()).isNotEmpty();
        assertThat(api.get("/api/v1/webhooks/" + old.id()).body()).doesNotContain(secret).doesNotContain(old.secret());

        register("rot-key", "team-rot", true);
        revoke("rot-key");
        Received received = awaitReceived("/rot", 1).get(0);
        assertThat(received.headers().getFirst(WebhookSigner.HEADER_SIGNATURE).split(" ")).hasSize(2);
        assertSigned(received, old);
        assertSigned(received, new Subscription(old.id(), secret));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Response post(String body) {
        return api.post("/api/v1/webhooks", body);
    }

    static Subscription subscribe(String path, String owner, String... types) {
        StringBuilder array = new StringBuilder();
        for (String type : types) {
            array.append(array.isEmpty() ? "" : ",").append('"').append(type).append('"');
        }
        Response created = assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url(path)
                + "\",\"eventTypes\":[" + array + "],\"owner\":\"" + owner + "\"}"), 201);
        return new Subscription(created.json().path("id").asText(), created.json().path("secret").asText());
    }

    private static void register(String keyId, String owner, boolean autoRevoke) {
        assertOk(api.put("/api/v1/keys/" + keyId, "{\"owner\":\"" + owner + "\",\"autoRevoke\":" + autoRevoke + "}"),
                201);
    }

    private static void revoke(String keyId) {
        assertOk(api.post("/api/v1/keys/" + keyId + "/revoke", "{\"reason\":\"test\"}"), 200);
    }

    private static List<Received> awaitReceived(String path, int count) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> receiver.received(path), list -> list.size() >= count);
    }

    private static JsonNode deliveries(Subscription sub, String query) {
        return api.get("/api/v1/webhooks/" + sub.id() + "/deliveries" + query).json().path("items");
    }

    private static JsonNode awaitDelivered(Subscription sub) {
        return await().atMost(TIMEOUT).until(() -> deliveries(sub, ""),
                items -> items.size() == 1 && items.get(0).path("status").asText().equals("DELIVERED")).get(0);
    }

    static void assertSigned(Received received, Subscription sub) {
        assertThatCode(() -> new Webhook(sub.secret()).verify(received.bodyText(), received.headers()))
                .as("signature of %s verified by the Standard Webhooks library", received.webhookId())
                .doesNotThrowAnyException();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
