package io.keywatch.api.usage;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestIdentities;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /api/v1/keys/{keyId}/usage}: the answer's shape, zeros where there was no traffic, hours summing minutes,
 * every bad parameter a 400 naming it, and 503s when the state cannot be asked. The source is an in-memory
 * {@link UsageSource} (an interface of ours); the real topology behind it is tested in the standalone.
 */
@ExtendWith(SharedInfra.class)
class UsageHttpTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    /** Minutes by key, as a topology's store would hold them; a key named "rebalancing" cannot be asked. */
    static final class InMemoryUsage implements UsageSource {
        final Map<String, List<UsageMinute>> minutes = new ConcurrentHashMap<>();

        @Override
        public String name() {
            return "topology";
        }

        @Override
        public Duration retention() {
            return Duration.ofMinutes(120);
        }

        @Override
        public List<UsageMinute> minutes(String keyId, Instant from, Instant to) {
            if (keyId.equals("rebalancing")) {
                throw new UsageUnavailableException("store migrating", Duration.ofSeconds(7), null);
            }
            return minutes.getOrDefault(keyId, List.of()).stream()
                    .filter(m -> !m.start().isBefore(from) && m.start().isBefore(to))
                    .toList();
        }
    }

    private static final InMemoryUsage USAGE = new InMemoryUsage();
    private static AlertsApiService withSource;
    private static AlertsApiService withoutSource;
    private static ApiClient viewer;
    private static ApiClient viewerWithoutSource;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        USAGE.minutes.put("usage-key-1", List.of(
                new UsageMinute(T0.plus(Duration.ofMinutes(1)), 10, 1, 2, 3, Map.of()),
                new UsageMinute(T0.plus(Duration.ofMinutes(2)), 500, 120, 0, 40,
                        Map.of(AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL)),
                new UsageMinute(T0.plus(Duration.ofMinutes(61)), 7, 0, 1, 2,
                        Map.of(AlertRule.VOLUME_SPIKE, Severity.LOW))));
        withSource = new AlertsApiService(TestServices.settings(postgres, broker), null)
                .withAuthenticators(List.of(new TestIdentities())).withUsageSource(USAGE).start();
        withoutSource = new AlertsApiService(TestServices.settings(postgres, broker), null)
                .withAuthenticators(List.of(new TestIdentities())).start();
        viewer = new ApiClient(withSource.port(), TestIdentities.token("vic"));
        viewerWithoutSource = new ApiClient(withoutSource.port(), TestIdentities.token("vic"));
    }

    @AfterAll
    static void stop() {
        if (withSource != null) {
            withSource.close();
        }
        if (withoutSource != null) {
            withoutSource.close();
        }
    }

    private static void assertError(ApiClient.Response response, int status, String fragment) {
        assertThat(io.keywatch.api.support.ApiAssertions.assertError(response, status)).contains(fragment);
    }

    /** The Retry-After header of an answer (ApiClient keeps no headers). */
    private static String retryAfter(int port, String path) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + TestIdentities.token("vic")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        return response.headers().firstValue("Retry-After").orElse(null);
    }

    private static String usage(String keyId, String query) {
        return "/api/v1/keys/" + keyId + "/usage" + (query.isEmpty() ? "" : "?" + query);
    }

    @Test
    void oneZeroFilledPointPerMinuteOldestFirstWithTheAlertsOfEach() {
        JsonNode body = assertOk(viewer.get(usage("usage-key-1", "from=2026-12-01T10:00:00Z&to=2026-12-01T10:05:00Z")),
                200).json();
        assertThat(body.path("keyId").asText()).isEqualTo("usage-key-1");
        assertThat(body.path("step").asText()).isEqualTo("minute");
        assertThat(body.path("from").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(body.path("to").asText()).isEqualTo("2026-12-01T10:05:00Z");
        assertThat(body.path("source").asText()).isEqualTo("topology");
        assertThat(body.path("retentionMinutes").asInt()).isEqualTo(120);
        JsonNode points = body.path("points");
        assertThat(points).hasSize(5);
        assertThat(points.get(0).path("t").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(points.get(0).path("requests").asLong()).isZero();
        assertThat(points.get(1).path("requests").asLong()).isEqualTo(10);
        assertThat(points.get(1).path("authFailures").asLong()).isEqualTo(1);
        assertThat(points.get(1).path("errors").asLong()).isEqualTo(2);
        assertThat(points.get(1).path("distinctIps").asInt()).isEqualTo(3);
        assertThat(points.get(2).path("alerts").path("AUTH_FAILURE_BURST").asText()).isEqualTo("CRITICAL");
        assertThat(points.get(4).path("t").asText()).isEqualTo("2026-12-01T10:04:00Z");
    }

    @Test
    void hoursSumTheirMinutesAndShowTheBusiestMinutesAddresses() {
        JsonNode points = assertOk(viewer.get(usage("usage-key-1",
                "from=2026-12-01T10:30:00Z&to=2026-12-01T12:00:00Z&step=hour")), 200).json().path("points");
        assertThat(points).hasSize(2);
        assertThat(points.get(0).path("t").asText()).isEqualTo("2026-12-01T10:00:00Z");
        assertThat(points.get(0).path("requests").asLong()).isEqualTo(510);
        assertThat(points.get(0).path("authFailures").asLong()).isEqualTo(121);
        assertThat(points.get(0).path("distinctIps").asInt()).isEqualTo(40);
        assertThat(points.get(0).path("alerts").path("AUTH_FAILURE_BURST").asText()).isEqualTo("CRITICAL");
        assertThat(points.get(1).path("requests").asLong()).isEqualTo(7);
        assertThat(points.get(1).path("alerts").path("VOLUME_SPIKE").asText()).isEqualTo("LOW");
    }

    @Test
    void byDefaultTheLastTwoHoursByMinuteAndAnUnknownKeyIsNoError() {
        JsonNode body = assertOk(viewer.get(usage("never-registered-key", "")), 200).json();
        assertThat(body.path("points").size()).isBetween(120, 121);
        assertThat(body.path("points")).allSatisfy(p -> assertThat(p.path("requests").asLong()).isZero());
    }

    @Test
    void everyBadParameterIsA400NamingIt() {
        assertError(viewer.get(usage("usage-key-1", "step=fortnight")), 400, "step");
        assertError(viewer.get(usage("usage-key-1", "from=yesterday")), 400, "from");
        assertError(viewer.get(usage("usage-key-1", "to=2026-13-01T00:00:00Z")), 400, "to");
        assertError(viewer.get(usage("usage-key-1", "from=2026-12-01T10:00:00Z&to=2026-12-01T10:00:00Z")), 400,
                "from must be before to");
        assertError(viewer.get(usage("usage-key-1", "from=2026-12-01T00:00:00Z&to=2026-12-02T00:01:00Z")), 400,
                "at most 1440 points");
        assertOk(viewer.get(usage("usage-key-1", "from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z")), 200);
        assertOk(viewer.get(usage("usage-key-1", "from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&step=hour")),
                200);
        assertError(viewer.get(usage("bad%01key", "")), 400, "keyId");
    }

    @Test
    void withoutTheTopologysStateOrWhileItMoves503WithRetryAfter() throws Exception {
        var unconfigured = viewerWithoutSource.get(usage("usage-key-1", ""));
        assertError(unconfigured, 503, "usage needs the topology's state");
        assertThat(retryAfter(withoutSource.port(), usage("usage-key-1", ""))).isEqualTo("60");
        var moving = viewer.get(usage("rebalancing", ""));
        assertError(moving, 503, "store migrating");
        assertThat(retryAfter(withSource.port(), usage("rebalancing", ""))).isEqualTo("7");
    }

    @Test
    void noCredentialNoUsage() {
        assertThat(new ApiClient(withSource.port(), null).get(usage("usage-key-1", "")).status()).isEqualTo(401);
    }
}
