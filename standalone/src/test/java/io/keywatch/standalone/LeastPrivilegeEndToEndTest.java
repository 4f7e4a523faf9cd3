package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.events.AuthResult;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Least privilege end to end on embedded Kafka and PostgreSQL, from real traffic: a key registered with three scopes
 * is first seen three days ago, uses two of them by two days ago and one today; the topology records it, publishes it signed on the key-scopes topic,
 * the API's report names the unused scopes and the narrower grant for each window, and the hygiene scan raises a
 * LOW KEY_OVERPRIVILEGED with the same finding.
 */
class LeastPrivilegeEndToEndTest {

    private static final String TOKEN = "e2e-admin-token";
    private static final String KEY = "pk_live_lp_e2e_7Qm2";

    @TempDir
    static Path dataDir;

    private static Standalone keywatch;
    private static ApiTestClient api;

    @BeforeAll
    static void startKeywatch() throws InterruptedException {
        keywatch = RunningStandalone.start(dataDir, Map.of(
                "KEYWATCH_ADMIN_TOKEN", TOKEN,
                // a pass of the hygiene scan every stream-time minute, so the test's few minutes of events see one
                "KEYWATCH_DETECT_HYGIENE_SCAN_MINUTES", "1"));
        api = new ApiTestClient(keywatch.httpPort(), TOKEN);
    }

    @AfterAll
    static void stopKeywatch() {
        if (keywatch != null) {
            keywatch.close();
        }
    }

    @Test
    void scopesSeenInTrafficBecomeTheReportAndAWeeklyHygieneAlert() {
        assertThat(api.putKey(KEY, Map.of("owner", "team-billing", "service", "billing",
                "scopes", List.of("invoices:read", "invoices:write", "refunds:write"),
                "thresholds", Map.of("overprivileged.unusedDays", 1)))).isEqualTo(201);
        await("the topology knows the key's scopes").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> keywatch.streams().keyState(KEY).map(KeyState::metadata)
                        .filter(metadata -> metadata.scopes() != null && metadata.scopes().size() == 3).isPresent());

        // the expectations are in UTC days counted from today, and the run (four minutes of stream time from now, then
        // up to two minutes of waiting) must stay within today for the API's and the topology's "today" to be this one
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        assumeTrue(now.plus(Duration.ofMinutes(10)).isBefore(today.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()),
                "skipped within 10 minutes of 00:00 UTC: the day would change during the run");
        Instant threeDaysAgo = today.minusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(12));
        Instant twoDaysAgo = threeDaysAgo.plus(Duration.ofDays(1));
        try (UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.of(keywatch.kafkaBootstrap()))) {
            // first seen three days ago: a window of up to three days was watched whole (first seen before it began)
            publisher.accept(used(threeDaysAgo, "invoices:read", AuthResult.OK, 200));
            publisher.accept(used(twoDaysAgo, "invoices:read", AuthResult.OK, 200));
            publisher.accept(used(twoDaysAgo.plusSeconds(1), "invoices:write", AuthResult.OK, 200));
            // neither a refused call nor a failed secret check is a use of the scope
            publisher.accept(used(twoDaysAgo.plusSeconds(2), "refunds:write", AuthResult.SCOPE_DENIED, 403));
            publisher.accept(used(twoDaysAgo.plusSeconds(3), "refunds:write", AuthResult.INVALID_SECRET, 401));
            // today the key reads invoices, for a few minutes of stream time: hygiene passes run meanwhile
            for (int second = 0; second <= 240; second += 5) {
                publisher.accept(used(now.plusSeconds(second), "invoices:read", AuthResult.OK, 200));
            }
            publisher.flush();
        }

        await("the report for the last day: only invoices:read was used").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    JsonNode item = api.get("/api/v1/reports/least-privilege/" + KEY + "?days=1");
                    assertThat(item.path("verdict").asText()).as("%s", item).isEqualTo("OVERPRIVILEGED");
                    assertThat(texts(item.path("unusedScopes"))).containsExactlyInAnyOrder("invoices:write",
                            "refunds:write");
                    assertThat(texts(item.path("suggestedScopes"))).containsExactly("invoices:read");
                });
        JsonNode threeDays = api.get("/api/v1/reports/least-privilege/" + KEY + "?days=3");
        assertThat(threeDays.path("verdict").asText()).as("%s", threeDays).isEqualTo("OVERPRIVILEGED");
        assertThat(texts(threeDays.path("unusedScopes"))).containsExactly("refunds:write");
        assertThat(texts(threeDays.path("suggestedScopes"))).containsExactlyInAnyOrder("invoices:read",
                "invoices:write");
        JsonNode longer = api.get("/api/v1/reports/least-privilege/" + KEY + "?days=30");
        assertThat(longer.path("verdict").asText()).as("watched for 4 days, not 30: %s", longer)
                .isEqualTo("NOT_ENOUGH_HISTORY");
        List<String> listed = new ArrayList<>();
        api.get("/api/v1/reports/least-privilege?days=3&owner=team-billing").path("items")
                .forEach(item -> listed.add(item.path("keyId").asText()));
        assertThat(listed).containsExactly(KEY);

        await("the hygiene scan raises KEY_OVERPRIVILEGED").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.alerts(Map.of("keyId", KEY, "rule", "KEY_OVERPRIVILEGED"))).singleElement()
                        .satisfies(alert -> {
                            assertThat(alert.path("severity").asText()).isEqualTo("LOW");
                            JsonNode evidence = alert.path("evidence");
                            assertThat(texts(evidence.path("unusedScopes"))).as("%s", evidence)
                                    .containsExactlyInAnyOrder("invoices:write", "refunds:write");
                            assertThat(texts(evidence.path("grant"))).containsExactly("invoices:read");
                        }));
    }

    private static UsageEvent used(Instant at, String scope, AuthResult result, int status) {
        return UsageEvent.of(UUID.randomUUID().toString(), KEY, at, "billing", result)
                .withRequest("GET", "/v1/invoices", status)
                .withClient("198.51.100.7", "DE", "billing-batch/1.0")
                .withDetails(12, scope, true, null);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}
