package io.keywatch.api.http;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The HTTP API against the real server, PostgreSQL and Kafka. Each test uses its own key ids. */
@ExtendWith(SharedInfra.class)
class AlertsApiHttpTest {

    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");
    private static final AtomicReference<String> STREAMS_STATE = new AtomicReference<>("RUNNING");

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker);
        service = new AlertsApiService(settings, STREAMS_STATE::get).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        kafka = new KafkaTestClients(broker.bootstrapServers());
        service.alertStore().storeAll(List.of(
                alert("http-1", "http-key-1", AlertRule.VOLUME_SPIKE, Severity.LOW, T0.plusSeconds(1)),
                alert("http-2", "http-key-1", AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, T0.plusSeconds(2)),
                alert("http-3", "http-key-2", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, T0.plusSeconds(3))));
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

    @Test
    void reportsTheBareHealthStatusWithoutATokenAndTheDetailsWithOne() {
        for (String route : List.of("/health", "/health/live", "/health/ready")) {
            Response bare = api.withToken(null).get(route);
            assertThat(bare.status()).as(route).isEqualTo(200);
            assertThat(bare.body()).as(route).isEqualTo("{\"status\":\"UP\"}");
        }

        Response response = api.get("/health");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("status").asText()).isEqualTo("UP");
        assertThat(response.json().at("/components/postgres/status").asText()).isEqualTo("UP");
        assertThat(response.json().at("/components/kafka/status").asText()).isEqualTo("UP");
        assertThat(response.json().at("/components/streams/status").asText()).isEqualTo("UP");

        Response wrong = api.withToken("wrong-token").get("/health");
        assertError(wrong, 401, "Unauthorized");
        assertThat(wrong.body()).doesNotContain("components");
    }

    @Test
    void anUnauthenticatedHealthCallSeesTheSameCodeWithoutTheReasons() {
        STREAMS_STATE.set("ERROR");
        try {
            Response bare = api.withToken(null).get("/health/ready");
            assertThat(bare.status()).isEqualTo(503);
            assertThat(bare.body()).isEqualTo("{\"status\":\"DOWN\"}");
            assertThat(api.withToken(null).get("/health").status()).isEqualTo(503);
            assertThat(api.withToken(null).get("/health/live").status()).isEqualTo(503);
        } finally {
            STREAMS_STATE.set("RUNNING");
        }
    }

    @Test
    void healthIsDownWith503WhenTheTopologyHasFailed() {
        STREAMS_STATE.set("ERROR");
        try {
            Response response = api.get("/health");

            assertThat(response.status()).isEqualTo(503);
            assertThat(response.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(response.json().at("/components/streams/detail").asText()).isEqualTo("ERROR");
        } finally {
            STREAMS_STATE.set("RUNNING");
        }
    }

    @Test
    void readinessIs503WhileTheTopologyRebalancesAndLivenessStays200() {
        STREAMS_STATE.set("REBALANCING");
        try {
            Response ready = api.get("/health/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().path("status").asText()).isEqualTo("DOWN");
            assertThat(ready.json().path("reasons").toString()).contains("streams: REBALANCING");
            assertThat(ready.json().at("/components/streams/ready").asBoolean()).isFalse();

            Response live = api.get("/health/live");
            assertThat(live.status()).isEqualTo(200);
            assertThat(live.json().path("status").asText()).isEqualTo("UP");
            assertThat(live.json().path("components").has("postgres"))
                    .as("liveness does not depend on the database").isFalse();

            Response full = api.get("/health");
            assertThat(full.status()).isEqualTo(200);
            assertThat(full.json().path("status").asText()).as("rebalancing is not UP any more")
                    .isEqualTo("DEGRADED");
            assertThat(full.json().path("ready").asBoolean()).isFalse();
            assertThat(full.json().path("live").asBoolean()).isTrue();
        } finally {
            STREAMS_STATE.set("RUNNING");
        }
    }

    @Test
    void readyWhenRunningAndCaughtUpWithTheIntakesLagInTheReport() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response ready = api.get("/health/ready");
            assertThat(ready.status()).as(ready.body()).isEqualTo(200);
            assertThat(ready.json().at("/components/alertIntake/figures/lag").asLong()).isZero();
        });
        Response live = api.get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().path("components").has("alertIntake")).isTrue();
    }

    @Test
    void livenessIs503WhenTheTopologysThreadsAreGone() {
        STREAMS_STATE.set("ERROR");
        try {
            Response live = api.get("/health/live");

            assertThat(live.status()).isEqualTo(503);
            assertThat(live.json().path("reasons").toString()).contains("streams: ERROR");
        } finally {
            STREAMS_STATE.set("RUNNING");
        }
    }

    @Test
    void rejectsApiRequestsWithoutOrWithAWrongTokenAs401Json() {
        for (ApiClient client : List.of(api.withToken(null), api.withToken("wrong-token"))) {
            Response response = client.get("/api/v1/alerts");

            assertError(response, 401, "Unauthorized");
            assertThat(response.body()).doesNotContain(TestServices.TOKEN);
        }
        assertThat(api.withToken(null).get("/api/v1/no-such-route").status())
                .as("unknown routes under /api/ do not reveal themselves without a token").isEqualTo(401);
    }

    @Test
    void listsAlertsNewestFirst() {
        Response response = api.get("/api/v1/alerts");

        assertThat(response.status()).isEqualTo(200);
        assertThat(ids(response)).containsExactly("http-3", "http-2", "http-1");
        assertThat(response.json().has("nextCursor")).isTrue();
        assertThat(response.json().get("nextCursor").isNull()).isTrue();
        JsonNode first = response.json().at("/items/0");
        assertThat(first.path("severity").asText()).isEqualTo("CRITICAL");
        assertThat(first.path("status").asText()).isEqualTo("OPEN");
        assertThat(first.path("detectedAt").asText()).isEqualTo("2026-11-27T19:00:03Z");
        assertThat(first.at("/evidence/requests").asInt()).isEqualTo(1200);
    }

    @Test
    void filtersAlertsInTheQuery() {
        assertThat(ids(api.get("/api/v1/alerts?keyId=http-key-1"))).containsExactly("http-2", "http-1");
        assertThat(ids(api.get("/api/v1/alerts?rule=VOLUME_SPIKE"))).containsExactly("http-3", "http-1");
        assertThat(ids(api.get("/api/v1/alerts?severity=high"))).containsExactly("http-3", "http-2");
        assertThat(ids(api.get("/api/v1/alerts?status=OPEN&keyId=http-key-2"))).containsExactly("http-3");
        assertThat(ids(api.get("/api/v1/alerts?since=2026-11-27T19:00:02Z&until=2026-11-27T19:00:03Z")))
                .containsExactly("http-2");
    }

    @Test
    void pagesWithAnOpaqueCursor() {
        List<String> seen = new ArrayList<>();
        String path = "/api/v1/alerts?limit=2";
        Response page = api.get(path);
        seen.addAll(ids(page));
        String cursor = page.json().path("nextCursor").asText();
        page = api.get(path + "&cursor=" + cursor);
        seen.addAll(ids(page));

        assertThat(seen).containsExactly("http-3", "http-2", "http-1");
        assertThat(page.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void listsTheCompactSummaryViewWithTheSameRowsAndCursor() {
        Response full = api.get("/api/v1/alerts?limit=2");
        Response summary = api.get("/api/v1/alerts?limit=2&view=summary");

        assertThat(summary.status()).isEqualTo(200);
        assertThat(ids(summary)).isEqualTo(ids(full));
        assertThat(summary.json().path("nextCursor").asText()).isEqualTo(full.json().path("nextCursor").asText());
        JsonNode first = summary.json().at("/items/0");
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "rule", "severity", "keyId", "status", "resolution", "occurrences",
                "detectedAt", "lastSeen", "silenced", "summary");
        assertThat(first.path("detectedAt").asText()).isEqualTo("2026-11-27T19:00:03Z");
        assertThat(first.path("summary").asText()).isEqualTo(full.json().at("/items/0/summary").asText());
        assertThat(summary.body().length()).isLessThan(full.body().length() / 2);

        Response next = api.get("/api/v1/alerts?limit=2&view=SUMMARY&cursor=" + summary.json().path("nextCursor").asText());
        assertThat(ids(next)).containsExactly("http-1");
        assertThat(api.get("/api/v1/alerts?view=full").json().at("/items/0/evidence/requests").asInt()).isEqualTo(1200);
    }

    @Test
    void rejectsAnUnknownViewWith400NamingTheParameter() {
        for (String view : List.of("compact", "summary,full", "full%00", "%C5%BFummary", "x".repeat(300),
                "%3Cscript%3E")) {
            Response response = api.get("/api/v1/alerts?view=" + view);
            assertError(response, 400, "Bad Request");
            assertThat(message(response)).startsWith("view");
        }
        assertThat(message(api.get("/api/v1/alerts?view=compact"))).contains("full or summary").contains("compact");
    }

    @Test
    void rejectsBadQueryParametersWith400SayingWhatIsWrong() {
        assertError(api.get("/api/v1/alerts?limit=0"), 400, "Bad Request");
        assertThat(api.get("/api/v1/alerts?limit=0").json().path("message").asText())
                .isEqualTo("limit must be between 1 and 500, got 0");
        assertThat(message(api.get("/api/v1/alerts?limit=501"))).contains("501");
        assertThat(message(api.get("/api/v1/alerts?limit=ten"))).contains("limit").contains("'ten'");
        assertThat(message(api.get("/api/v1/alerts?severity=SEVERE"))).contains("severity").contains("SEVERE");
        assertThat(message(api.get("/api/v1/alerts?rule=NOPE"))).contains("rule").contains("VOLUME_SPIKE");
        assertThat(message(api.get("/api/v1/alerts?status=DONE"))).contains("status").contains("OPEN");
        assertThat(message(api.get("/api/v1/alerts?since=yesterday"))).contains("since").contains("ISO-8601");
        assertThat(message(api.get("/api/v1/alerts?since=2026-11-28T00:00:00Z&until=2026-11-27T00:00:00Z")))
                .contains("since must be before until");
        assertThat(message(api.get("/api/v1/alerts?cursor=not-a-cursor"))).contains("cursor");
        for (String query : List.of("limit=501", "limit=ten", "severity=SEVERE", "rule=NOPE", "status=DONE",
                "since=yesterday", "cursor=not-a-cursor")) {
            assertError(api.get("/api/v1/alerts?" + query), 400, "Bad Request");
        }
    }

    @Test
    void rejectsATamperedCursor() {
        String cursor = api.get("/api/v1/alerts?limit=1").json().path("nextCursor").asText();
        char last = cursor.charAt(cursor.length() - 2);
        String tampered = cursor.substring(0, cursor.length() - 2) + (last == 'A' ? 'B' : 'A')
                + cursor.charAt(cursor.length() - 1);

        assertError(api.get("/api/v1/alerts?cursor=" + tampered), 400, "Bad Request");
    }

    @Test
    void getsOneAlertById() {
        Response response = api.get("/api/v1/alerts/http-2");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().path("id").asText()).isEqualTo("http-2");
        assertThat(response.json().path("rule").asText()).isEqualTo("AUTH_FAILURE_BURST");
    }

    @Test
    void answersUnknownAlertsAndRoutesWith404Json() {
        assertError(api.get("/api/v1/alerts/no-such-alert"), 404, "Not Found");
        assertThat(message(api.get("/api/v1/alerts/no-such-alert"))).contains("no-such-alert");
        assertError(api.get("/api/v1/nothing-here"), 404, "Not Found");
        assertError(api.withToken(null).get("/nothing-here"), 404, "Not Found");
    }

    @Test
    void answersAWrongMethodWith405Json() {
        assertError(api.method("DELETE", "/api/v1/alerts"), 405, "Method Not Allowed");
    }

    @Test
    void showsAKeyWithItsRecentAlertsAndAnUnknownKeyAs404() {
        Response key = api.get("/api/v1/keys/http-key-1");

        assertThat(key.status()).isEqualTo(200);
        assertThat(key.json().path("keyId").asText()).isEqualTo("http-key-1");
        assertThat(key.json().path("status").asText()).isEqualTo("ACTIVE");
        assertThat(key.json().path("recentAlerts").findValuesAsText("id")).containsExactly("http-2", "http-1");
        assertError(api.get("/api/v1/keys/never-seen"), 404, "Not Found");
    }

    @Test
    void revokingIsIdempotentAndPublishesExactlyOneKeyState() {
        Response first = api.post("/api/v1/keys/http-revoke-1/revoke", "{\"reason\":\"leaked on a forum\"}");
        Response second = api.post("/api/v1/keys/http-revoke-1/revoke", "{\"reason\":\"clicked twice\"}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.json().path("status").asText()).isEqualTo("REVOKED");
        assertThat(first.json().path("reason").asText()).isEqualTo("leaked on a forum");
        assertThat(first.json().path("changedBy").asText()).isEqualTo("api:admin");
        assertThat(first.json().path("revokedAt").asText()).isNotBlank();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(api.get("/api/v1/keys/http-revoke-1").json().path("status").asText()).isEqualTo("REVOKED");

        List<KeyState> states = kafka.keyStates(settings.topics().keyState(), "http-revoke-1", Duration.ofSeconds(2));
        assertThat(states).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo(KeyStatus.REVOKED);
            assertThat(state.reason()).isEqualTo("leaked on a forum");
        });
    }

    @Test
    void rejectsARevocationWithoutAUsableReasonAs400() {
        for (String body : List.of("", "{not json", "[]", "{}", "{\"reason\":\"  \"}", "{\"reason\":42}")) {
            Response response = api.post("/api/v1/keys/http-revoke-2/revoke", body);

            assertError(response, 400, "Bad Request");
        }
        assertThat(message(api.post("/api/v1/keys/http-revoke-2/revoke", "{not json"))).contains("not valid JSON");
        assertError(api.get("/api/v1/keys/http-revoke-2"), 404, "Not Found");
    }

    private static void assertError(Response response, int status, String error) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/json");
        assertThat(response.json().path("status").asInt()).isEqualTo(status);
        assertThat(response.json().path("error").asText()).isEqualTo(error);
        assertThat(response.json().path("message").asText()).isNotBlank();
        assertThat(response.json().size()).as("exactly status, error and message").isEqualTo(3);
    }

    private static String message(Response response) {
        return response.json().path("message").asText();
    }

    private static List<String> ids(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.json().path("items").findValuesAsText("id");
    }
}
