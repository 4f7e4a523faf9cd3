package io.keywatch.api.alerts;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static io.keywatch.api.support.ApiAssertions.assertOk;
import static io.keywatch.api.support.TestAlerts.occurrence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Alert grouping, lifecycle, silences and the revocation policy's exceptions, from Kafka through PostgreSQL to HTTP.
 * Each test uses its own key ids.
 */
@ExtendWith(SharedInfra.class)
class AlertLifecycleHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Recent windows, so that nothing here looks quiet for long. */
    private static final Instant W0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker);
        service = new AlertsApiService(settings, null).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        kafka = new KafkaTestClients(broker.bootstrapServers());
    }

    @AfterAll
    static void stopService() {
        if (kafka != null) {
            kafka.close();
        }
        if (service != null) {
            service.close();
        }
    }

    private static Alert window(String keyId, AlertRule rule, Severity severity, int minute) {
        return occurrence(keyId, rule, severity, W0.plus(Duration.ofMinutes(minute)), 1000 + minute);
    }

    private static void publish(Alert... alerts) {
        for (Alert alert : alerts) {
            kafka.publish(settings.topics().alerts(), alert);
        }
    }

    @Test
    void foldsThreeWindowsIntoOneAlertIgnoresAReplayAndOpensANewOneAfterResolution() {
        Alert first = window("grp-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 0);
        Alert third = window("grp-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 2);
        publish(first, window("grp-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 1), third);

        JsonNode alert = awaitAlert(first.id(), a -> a.path("occurrences").asInt() == 3);
        assertThat(alert.path("fingerprint").asText()).isEqualTo("VOLUME_SPIKE:grp-1");
        assertThat(alert.path("firstSeen").asText()).isEqualTo(first.detectedAt().toString());
        assertThat(alert.path("lastSeen").asText()).isEqualTo(third.detectedAt().toString());
        assertThat(alert.path("status").asText()).isEqualTo("OPEN");
        assertThat(alert.path("silenced").asBoolean()).isFalse();
        assertThat(alert.has("resolution")).isTrue();
        assertThat(alert.get("resolution").isNull()).isTrue();
        assertThat(assertOk(api.get("/api/v1/alerts/" + third.id()), 200).json().path("id").asText())
                .as("an occurrence id finds its alert").isEqualTo(first.id());

        // a replay, then a marker on the same key (same partition): once the marker is in, the replay was handled
        Alert marker = window("grp-1", AlertRule.KEY_IN_URL, Severity.LOW, 0);
        publish(third, marker);
        awaitAlert(marker.id(), a -> true);
        assertThat(api.get("/api/v1/alerts/" + first.id()).json().path("occurrences").asInt()).isEqualTo(3);

        assertOk(api.post("/api/v1/alerts/" + first.id() + "/resolve", "{\"resolution\":\"fixed\"}"), 200);
        Alert next = window("grp-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 5);
        publish(next);
        awaitAlert(next.id(), a -> a.path("id").asText().equals(next.id()));
        Response list = api.get("/api/v1/alerts?keyId=grp-1&rule=VOLUME_SPIKE");
        assertThat(list.json().path("items").findValuesAsText("id")).containsExactly(next.id(), first.id());
        assertThat(list.json().path("items").findValuesAsText("status")).containsExactly("OPEN", "RESOLVED");
    }

    @Test
    void anEscalationRaisesTheSeverityWithoutCountingAndRevokesTheKey() {
        Alert high = window("esc-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, 0);
        publish(high);
        awaitAlert(high.id(), a -> true);

        publish(TestAlerts.withSeverity(high, Severity.CRITICAL, 9000));

        JsonNode alert = awaitAlert(high.id(), a -> a.path("autoRevocation").asText().equals("REVOKED"));
        assertThat(alert.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(alert.path("occurrences").asInt()).isEqualTo(1);
        assertThat(alert.path("history").findValuesAsText("action"))
                .containsExactly("opened", "escalated", "auto_revocation");
        assertThat(api.get("/api/v1/keys/esc-1").json().path("status").asText()).isEqualTo("REVOKED");
    }

    @Test
    void movesThroughTheLifecycleRefusesIllegalTransitionsWith409AndKeepsTheHistory() {
        Alert stored = window("life-1", AlertRule.IP_FANOUT, Severity.MEDIUM, 0);
        service.alertStore().store(stored);
        String path = "/api/v1/alerts/" + stored.id();
        ApiClient alice = api.withActor("alice");

        assertThat(assertError(alice.post(path + "/acknowledge", "{\"note\":\"x\",\"by\":\"eve\"}"), 400))
                .contains("unknown field, expected some of [note]");
        Response acknowledged = assertOk(alice.post(path + "/acknowledge", "{\"note\":\"looking\"}"), 200);
        assertThat(acknowledged.json().path("status").asText()).isEqualTo("ACKNOWLEDGED");
        // the credential's identity; the header is only a note beside it
        assertThat(acknowledged.json().path("acknowledgedBy").asText()).isEqualTo("api:admin");
        assertThat(assertError(alice.post(path + "/acknowledge", ""), 409)).contains("ACKNOWLEDGED");

        assertThat(assertError(alice.post(path + "/resolve", "{}"), 400)).contains("resolution is required");
        assertThat(assertError(alice.post(path + "/resolve", ""), 400)).contains("request body must be a JSON object");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"fixed\",\"note\":[]}"), 400))
                .contains("note must be a string, got array");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"done\"}"), 400))
                .contains("false_positive").contains("'done'");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"auto_resolved\"}"), 400))
                .contains("resolution");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"other\"}"), 400)).contains("note");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"fixed\",\"extra\":1}"), 400))
                .contains("unknown field");
        assertThat(assertError(api.withActor("policy:X").post(path + "/resolve", "{\"resolution\":\"fixed\"}"), 400))
                .contains("reserved");

        Response resolved = assertOk(api.withActor("bob").post(path + "/resolve",
                "{\"resolution\":\"false_positive\",\"note\":\"CI job\"}"), 200);
        assertThat(resolved.json().path("status").asText()).isEqualTo("RESOLVED");
        assertThat(resolved.json().path("resolution").asText()).isEqualTo("false_positive");
        assertThat(resolved.json().path("resolvedBy").asText()).isEqualTo("api:admin");
        assertThat(assertError(alice.post(path + "/resolve", "{\"resolution\":\"fixed\"}"), 409)).contains("RESOLVED");
        assertThat(assertError(alice.post(path + "/acknowledge", "{}"), 409)).contains("RESOLVED");
        assertError(alice.post("/api/v1/alerts/no-such-alert/acknowledge", "{}"), 404);
        assertError(api.get("/api/v1/alerts/no-such-alert/history"), 404);

        JsonNode history = assertOk(api.get(path + "/history"), 200).json().path("items");
        assertThat(history.findValuesAsText("action")).containsExactly("opened", "acknowledged", "resolved");
        assertThat(history.findValuesAsText("actor")).containsExactly("system", "api:admin", "api:admin");
        assertThat(history.get(0).path("onBehalfOf").textValue()).isNull();
        assertThat(history.get(1).path("onBehalfOf").asText()).isEqualTo("alice");
        assertThat(history.get(2).path("onBehalfOf").asText()).isEqualTo("bob");
        assertThat(history.get(1).path("note").asText()).isEqualTo("looking");
        assertThat(history.get(2).path("fromStatus").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(history.get(2).path("toStatus").asText()).isEqualTo("RESOLVED");
        assertThat(history.get(2).path("resolution").asText()).isEqualTo("false_positive");
        assertThat(api.get(path).json().path("history")).isEqualTo(history);
    }

    @Test
    void createsListsAndDeletesSilencesAndValidatesThem() {
        String future = Instant.now().plus(Duration.ofHours(2)).toString();
        Response created = assertOk(api.withActor("carol").post("/api/v1/silences",
                "{\"keyId\":\"sil-crud-1\",\"rule\":\"volume_spike\",\"expiresAt\":\"" + future
                        + "\",\"comment\":\"load test\"}"), 201);
        String id = created.json().path("id").asText();
        assertThat(created.json().path("createdBy").asText()).isEqualTo("api:admin");
        assertThat(created.json().path("onBehalfOf").asText()).isEqualTo("carol");
        assertThat(created.json().path("rule").asText()).isEqualTo("VOLUME_SPIKE");
        assertThat(created.json().path("active").asBoolean()).isTrue();
        Response byBody = assertOk(api.post("/api/v1/silences", "{\"rule\":\"KEY_IN_URL\",\"expiresAt\":\"" + future
                + "\",\"comment\":\"known\",\"createdBy\":\"dave\"}"), 201);
        // a body createdBy is not trusted as the creator: it is kept as the note
        assertThat(byBody.json().path("createdBy").asText()).isEqualTo("api:admin");
        assertThat(byBody.json().path("onBehalfOf").asText()).isEqualTo("dave");
        assertThat(assertError(api.withActor("erin").post("/api/v1/silences", "{\"rule\":\"KEY_IN_URL\","
                + "\"expiresAt\":\"" + future + "\",\"comment\":\"known\",\"createdBy\":\"dave\"}"), 400))
                .contains("createdBy").contains("X-Keywatch-Actor");

        assertThat(api.get("/api/v1/silences").json().path("items").findValuesAsText("id")).contains(id);

        String valid = ",\"expiresAt\":\"" + future + "\",\"comment\":\"c\"}";
        assertThat(assertError(api.post("/api/v1/silences", "{\"comment\":\"c\",\"expiresAt\":\"" + future + "\"}"),
                400)).contains("keyId, rule or both");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"k\",\"comment\":\"c\"}"), 400))
                .contains("expiresAt is required");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"k\",\"comment\":\"c\","
                + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}"), 400)).contains("expiresAt must be in the future");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"k\",\"expiresAt\":\"" + future + "\"}"),
                400)).contains("comment is required");
        assertThat(assertError(api.post("/api/v1/silences", "{\"rule\":\"NOPE\"" + valid), 400))
                .contains("rule").contains("VOLUME_SPIKE");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"k\",\"until\":\"x\"" + valid), 400))
                .contains("unknown field");
        assertThat(assertError(api.post("/api/v1/silences", "{\"keyId\":\"k\",\"createdBy\":\"system\"" + valid),
                400)).contains("reserved");
        assertThat(assertError(api.get("/api/v1/silences?all=maybe"), 400)).contains("all");

        assertThat(api.withActor("carol").delete("/api/v1/silences/" + id).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/silences").json().path("items").findValuesAsText("id")).doesNotContain(id);
        JsonNode all = api.get("/api/v1/silences?all=true").json().path("items");
        assertThat(all.findValuesAsText("id")).contains(id);
        for (JsonNode silence : all) {
            if (silence.path("id").asText().equals(id)) {
                assertThat(silence.path("deletedBy").asText()).isEqualTo("api:admin");
                assertThat(silence.path("deletedOnBehalfOf").asText()).isEqualTo("carol");
                assertThat(silence.path("active").asBoolean()).isFalse();
            }
        }
        assertError(api.delete("/api/v1/silences/no-such-silence"), 404);
    }

    @Test
    void aSilencedCriticalAlertIsStoredAndMarkedButDoesNotRevoke() {
        String future = Instant.now().plus(Duration.ofHours(1)).toString();
        String silenceId = assertOk(api.post("/api/v1/silences", "{\"keyId\":\"sil-1\",\"expiresAt\":\"" + future
                + "\",\"comment\":\"pen test\"}"), 201).json().path("id").asText();
        Alert critical = window("sil-1", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, 0);

        publish(critical);

        JsonNode alert = awaitAlert(critical.id(), a -> a.path("autoRevocation").asText().equals("SKIPPED_SILENCED"));
        assertThat(alert.path("silenced").asBoolean()).isTrue();
        assertThat(alert.path("silenceId").asText()).isEqualTo(silenceId);
        assertThat(alert.path("history").findValuesAsText("note")).anySatisfy(note ->
                assertThat(note).contains("automatic revocation skipped: alert silenced by silence " + silenceId));
        assertThat(api.get("/api/v1/keys/sil-1").json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(api.get("/api/v1/alerts?silenced=true&keyId=sil-1").json().path("items").findValuesAsText("id"))
                .containsExactly(critical.id());
        assertThat(api.get("/api/v1/alerts?silenced=false&keyId=sil-1").json().path("items").size()).isZero();
        assertThat(assertError(api.get("/api/v1/alerts?silenced=yes"), 400)).contains("silenced");
    }

    @Test
    void aCriticalAlertForAKeyRegisteredWithAutoRevokeFalseDoesNotRevokeIt() {
        assertOk(api.put("/api/v1/keys/prot-1", "{\"owner\":\"team-core\",\"autoRevoke\":false}"), 201);
        Alert critical = window("prot-1", AlertRule.REVOKED_KEY_USED, Severity.CRITICAL, 0);

        publish(critical);

        JsonNode alert = awaitAlert(critical.id(), a -> a.path("autoRevocation").asText().equals("SKIPPED_PROTECTED"));
        assertThat(alert.path("history").findValuesAsText("note")).anySatisfy(note ->
                assertThat(note).startsWith("automatic revocation skipped: key protected (autoRevoke=false)"));
        assertThat(alert.path("history").findValuesAsText("actor")).contains("policy:REVOKED_KEY_USED");
        assertThat(api.get("/api/v1/keys/prot-1").json().path("status").asText()).isEqualTo("ACTIVE");
        // by hand it can still be revoked
        assertThat(api.post("/api/v1/keys/prot-1/revoke", "{\"reason\":\"confirmed leak\"}").json()
                .path("status").asText()).isEqualTo("REVOKED");
    }

    private static JsonNode awaitAlert(String id, Predicate<JsonNode> condition) {
        return await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> api.get("/api/v1/alerts/" + id),
                        r -> r.status() == 200 && condition.test(r.json()))
                .json();
    }

}
