package io.keywatch.api.alerts.stream;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static io.keywatch.api.support.TestAlerts.occurrence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentities;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/alerts/stream} from Kafka through PostgreSQL to a socket: alerts arrive through the normal
 * intake, triage shows up as updates, filters are the list's, resume replays what was missed, heartbeats flow, and
 * the instance's limit answers 503 (an identity at its own limit: its oldest stream ends). Each test uses its own key ids.
 */
@ExtendWith(SharedInfra.class)
class AlertStreamHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration HEARTBEAT = Duration.ofMillis(300);
    private static final Instant W0 = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(10));
    private static final String STREAM = "/api/v1/alerts/stream";
    private static final String VIEWER = TestIdentities.token("vic");
    private static final String EXPIRING = "expiring-credential";
    private static final ObjectMapper JSON = KeywatchJson.newMapper();

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient admin;
    private static KafkaTestClients kafka;
    private final List<SseTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker);
        // a credential that expires 2 s after each use: its stream must end then, not after the stream's lifetime
        Authenticator expiring = credential -> EXPIRING.equals(credential)
                ? Optional.of(new Principal("expiring", Role.VIEWER, "test-token", Instant.now().plusSeconds(2)))
                : Optional.empty();
        service = new AlertsApiService(settings, null)
                .withAuthenticators(List.of(new TestIdentities(), expiring))
                .withAlertStream(AlertStreamSettings.DEFAULTS.withHeartbeat(HEARTBEAT).withLimits(4, 2)
                        .withPollInterval(Duration.ofMillis(100))
                        // the replacement branch of the identity limit at once (the 429 branch: its own service)
                        .withLifetime(Duration.ofSeconds(300), Duration.ZERO))
                .start();
        admin = new ApiClient(service.port(), TestServices.TOKEN);
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

    @AfterEach
    void closeClients() {
        clients.forEach(SseTestClient::close);
        // a closed client is noticed at the next heartbeat
        await().atMost(TIMEOUT).until(() -> service.alertStreamSubscribers() == 0);
    }

    private SseTestClient open(String pathAndQuery, String token, Map<String, String> headers) {
        SseTestClient client = SseTestClient.open(service.port(), pathAndQuery, token, headers);
        clients.add(client);
        return client;
    }

    private SseTestClient open(String pathAndQuery) {
        SseTestClient client = open(pathAndQuery, VIEWER, Map.of());
        assertThat(client.status()).as(client.body()).isEqualTo(200);
        return client;
    }

    private static Alert publish(String keyId, AlertRule rule, Severity severity, int minute) {
        Alert alert = occurrence(keyId, rule, severity, W0.plus(Duration.ofMinutes(minute)), 1000 + minute);
        kafka.publish(settings.topics().alerts(), alert);
        return alert;
    }

    private static JsonNode data(SseTestClient.Event event) throws Exception {
        assertThat(event).as("an event within the timeout").isNotNull();
        return JSON.readTree(event.data());
    }

    @Test
    void aViewerSeesAnAlertArriveThroughIntakeThenItsAcknowledgementAsAnUpdate() throws Exception {
        SseTestClient stream = open(STREAM + "?keyId=sse-flow-1");
        assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
        Alert alert = publish("sse-flow-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 0);

        SseTestClient.Event created = stream.nextEvent(TIMEOUT);
        JsonNode createdData = data(created);
        assertThat(created.event()).isEqualTo("alert");
        assertThat(created.id()).matches("[0-9]+");
        assertThat(createdData.path("change").asText()).isEqualTo("created");
        // exactly one item of the list
        JsonNode listed = assertOk(admin.get("/api/v1/alerts?keyId=sse-flow-1"), 200).json().path("items").get(0);
        assertThat(createdData.path("alert")).isEqualTo(listed);
        assertThat(listed.path("id").asText()).isEqualTo(alert.id());

        assertOk(admin.post("/api/v1/alerts/" + alert.id() + "/acknowledge", "{\"note\":\"on it\"}"), 200);
        SseTestClient.Event updated = stream.nextEvent(TIMEOUT);
        JsonNode updatedData = data(updated);
        assertThat(updatedData.path("change").asText()).isEqualTo("updated");
        assertThat(updatedData.path("alert").path("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(Long.parseLong(updated.id())).isGreaterThan(Long.parseLong(created.id()));
    }

    @Test
    void filtersAreTheListsAndBadOnesAreTheLists400s() throws Exception {
        SseTestClient high = open(STREAM + "?keyId=sse-filter-1&severity=HIGH");
        publish("sse-filter-1", AlertRule.VOLUME_SPIKE, Severity.LOW, 0);
        publish("sse-filter-2", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, 0);
        // HIGH, not CRITICAL: a critical alert revokes its key, and recording that is a change too
        Alert wanted = publish("sse-filter-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, 0);
        JsonNode first = data(high.nextEvent(TIMEOUT));
        assertThat(first.path("alert").path("id").asText()).isEqualTo(wanted.id());
        assertThat(high.nextEvent(Duration.ofSeconds(1))).isNull();

        SseTestClient bad = open(STREAM + "?severity=loud", VIEWER, Map.of());
        var listAnswer = admin.get("/api/v1/alerts?severity=loud");
        assertThat(bad.status()).isEqualTo(400).isEqualTo(listAnswer.status());
        assertThat(JSON.readTree(bad.body())).isEqualTo(listAnswer.json());
    }

    @Test
    void resumingWithLastEventIdGetsExactlyTheMissedChanges() throws Exception {
        SseTestClient first = open(STREAM + "?keyId=sse-resume-1");
        Alert alert = publish("sse-resume-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 0);
        String lastId = first.nextEvent(TIMEOUT).id();
        first.close();
        assertOk(admin.post("/api/v1/alerts/" + alert.id() + "/acknowledge", "{}"), 200);
        assertOk(admin.post("/api/v1/alerts/" + alert.id() + "/resolve", "{\"resolution\":\"fixed\"}"), 200);
        // both changes are in the feed before the client comes back
        await().atMost(TIMEOUT).until(() -> {
            try (SseTestClient probe = SseTestClient.open(service.port(), STREAM + "?keyId=sse-resume-1&lastEventId="
                    + lastId, VIEWER)) {
                SseTestClient.Event a = probe.nextEvent(Duration.ofSeconds(2));
                SseTestClient.Event b = probe.nextEvent(Duration.ofSeconds(1));
                return a != null && b != null;
            }
        });

        SseTestClient resumed = open(STREAM + "?keyId=sse-resume-1", VIEWER, Map.of("Last-Event-ID", lastId));
        JsonNode acknowledged = data(resumed.nextEvent(TIMEOUT));
        JsonNode resolved = data(resumed.nextEvent(TIMEOUT));
        assertThat(acknowledged.path("alert").path("status").asText()).isEqualTo("RESOLVED"); // as it is now
        assertThat(acknowledged.path("change").asText()).isEqualTo("updated");
        assertThat(resolved.path("change").asText()).isEqualTo("updated");
        assertThat(resumed.nextEvent(Duration.ofSeconds(1))).as("nothing more").isNull();

        SseTestClient lost = open(STREAM, VIEWER, Map.of("Last-Event-ID", "999999999999"));
        SseTestClient.Event reset = lost.nextEvent(TIMEOUT);
        assertThat(reset.event()).isEqualTo("reset");
        assertThat(data(reset).path("reason").asText()).contains("reload the list");

        SseTestClient malformed = open(STREAM, VIEWER, Map.of("Last-Event-ID", "abc<script>"));
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).path("message").asText()).startsWith("Last-Event-ID must be");
        SseTestClient malformedParam = open(STREAM + "?lastEventId=-1", VIEWER, Map.of());
        assertThat(malformedParam.status()).isEqualTo(400);
        assertThat(malformedParam.body()).contains("lastEventId");
    }

    @Test
    void anAlertThatStopsMatchingTheFilterIsSentAsLeftAndOneOfAnotherKeyIsNot() throws Exception {
        SseTestClient open = open(STREAM + "?keyId=sse-left-1&status=OPEN");
        Alert alert = publish("sse-left-1", AlertRule.VOLUME_SPIKE, Severity.HIGH, 0);
        Alert other = publish("sse-left-2", AlertRule.VOLUME_SPIKE, Severity.HIGH, 0);
        JsonNode created = data(open.nextEvent(TIMEOUT));
        assertThat(created.path("alert").path("id").asText()).isEqualTo(alert.id());
        await().atMost(TIMEOUT).until(() -> admin.get("/api/v1/alerts?keyId=sse-left-2").json().path("items")
                .size() == 1);

        assertOk(admin.post("/api/v1/alerts/" + other.id() + "/acknowledge", "{}"), 200);
        assertOk(admin.post("/api/v1/alerts/" + alert.id() + "/acknowledge", "{}"), 200);
        SseTestClient.Event left = open.nextEvent(TIMEOUT);
        JsonNode leftData = data(left);
        assertThat(left.event()).isEqualTo("alert");
        assertThat(left.id()).matches("[0-9]+");
        assertThat(leftData.path("change").asText()).isEqualTo("left");
        assertThat(leftData.path("alert").path("id").asText()).isEqualTo(alert.id());
        assertThat(leftData.path("alert").path("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(open.nextEvent(Duration.ofSeconds(1))).as("nothing of another key").isNull();
    }

    /** An instance with short-lived streams and the identity limit's 429 branch (its oldest stream is young). */
    @Test
    void aStreamEndsCleanlyInTimeARevokedTokenCannotReopenItAndYoungStreamsAreNotReplaced(
            EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) throws Exception {
        try (AlertsApiService shortLived = new AlertsApiService(TestServices.settings(postgres, broker), null)
                .withAuthenticators(List.of(new TestIdentities()))
                .withAlertStream(AlertStreamSettings.DEFAULTS.withHeartbeat(HEARTBEAT).withLimits(4, 2)
                        .withLifetime(Duration.ofSeconds(2), Duration.ofSeconds(10)))
                .start()) {
            ApiClient shortAdmin = new ApiClient(shortLived.port(), TestServices.TOKEN);
            // the identity's limit: a third stream while the oldest is young is refused, not traded for it
            SseTestClient one = track(SseTestClient.open(shortLived.port(), STREAM, VIEWER));
            SseTestClient two = track(SseTestClient.open(shortLived.port(), STREAM, VIEWER));
            SseTestClient three = track(SseTestClient.open(shortLived.port(), STREAM, VIEWER));
            assertThat(one.status()).isEqualTo(200);
            assertThat(two.status()).isEqualTo(200);
            assertThat(three.status()).as(three.body()).isEqualTo(429);
            assertThat(three.header("Retry-After")).matches("[1-9][0-9]*");
            assertThat(three.body()).contains("KEYWATCH_SSE_MAX_PER_PRINCIPAL");

            // the lifetime: an "end" event, then the server closes
            SseTestClient.Event end = one.nextEvent(Duration.ofSeconds(10));
            assertThat(end).isNotNull();
            assertThat(end.event()).isEqualTo("end");
            assertThat(data(end).path("reason").asText()).contains("KEYWATCH_SSE_MAX_STREAM_SECONDS");
            assertThat(one.awaitEnd(Duration.ofSeconds(5))).isTrue();

            JsonNode issued = assertOk(shortAdmin.post("/api/v1/tokens",
                    "{\"name\":\"sse-revoked\",\"role\":\"viewer\"}"), 201).json();
            String token = issued.path("token").asText();
            SseTestClient held = track(SseTestClient.open(shortLived.port(), STREAM, token));
            assertThat(held.status()).isEqualTo(200);
            assertOk(shortAdmin.delete("/api/v1/tokens/" + issued.path("id").asText()), 200);
            assertThat(held.awaitEnd(Duration.ofSeconds(10))).as("the revoked token's stream ends in time").isTrue();
            SseTestClient again = track(SseTestClient.open(shortLived.port(), STREAM, token));
            assertThat(again.status()).isEqualTo(401);
            clients.forEach(SseTestClient::close);
            clients.clear();
            await().atMost(TIMEOUT).until(() -> shortLived.alertStreamSubscribers() == 0);
        }
    }

    @Test
    void aStreamEndsWhenItsCredentialExpires() throws Exception {
        SseTestClient stream = open(STREAM, EXPIRING, Map.of());
        assertThat(stream.status()).isEqualTo(200);
        SseTestClient.Event end = stream.nextEvent(Duration.ofSeconds(10));
        assertThat(end).as("an end well before KEYWATCH_SSE_MAX_STREAM_SECONDS (300)").isNotNull();
        assertThat(end.event()).isEqualTo("end");
        assertThat(stream.awaitEnd(Duration.ofSeconds(5))).isTrue();
    }

    private SseTestClient track(SseTestClient client) {
        clients.add(client);
        return client;
    }

    @Test
    void heartbeatsArriveWhileNothingHappens() throws Exception {
        SseTestClient stream = open(STREAM + "?keyId=sse-quiet-1");
        assertThat(stream.awaitComment(": keepalive", Duration.ofSeconds(5))).isTrue();
        assertThat(stream.awaitComment(": keepalive", Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void withoutACredential401AndBeyondTheIdentitysLimitTheOldestEndsAndBeyondTheInstances503() throws Exception {
        SseTestClient anonymous = open(STREAM, null, Map.of());
        assertThat(anonymous.status()).isEqualTo(401);

        SseTestClient oldest = open(STREAM);
        open(STREAM);
        SseTestClient third = open(STREAM, VIEWER, Map.of());
        assertThat(third.status()).isEqualTo(200);
        assertThat(oldest.awaitEnd(TIMEOUT)).as("the identity's oldest stream is ended for the newest").isTrue();

        assertThat(open(STREAM, TestIdentities.token("rita"), Map.of()).status()).isEqualTo(200);
        assertThat(open(STREAM, TestIdentities.token("alice"), Map.of()).status()).isEqualTo(200);
        SseTestClient full = open(STREAM, TestIdentities.token("bob"), Map.of());
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.header("Retry-After")).matches("[0-9]+");
        assertThat(full.body()).contains("KEYWATCH_SSE_MAX_SUBSCRIBERS");
    }
}
