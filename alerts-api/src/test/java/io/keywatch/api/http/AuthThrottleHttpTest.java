package io.keywatch.api.http;

import static io.keywatch.api.support.ApiAssertions.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.ApiClient.Response;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Failed authentication throttled per source address, with the default limit (10 a minute), over HTTP. */
@ExtendWith(SharedInfra.class)
class AuthThrottleHttpTest {

    private static RunningApi running;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker, settings -> settings.withAbuseLimits(AbuseLimits.DEFAULTS),
                List.of());
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void twoThousandWrongTokensInARowAreAnswered429AfterTheLimitNot401Forever() throws Exception {
        ApiClient wrong = running.api().withToken("wrong-token");
        Map<Integer, Integer> statuses = new TreeMap<>();
        Response first429 = null;
        for (int i = 0; i < 2_000; i++) {
            Response response = wrong.get("/api/v1/alerts");
            statuses.merge(response.status(), 1, Integer::sum);
            if (i < AbuseLimits.DEFAULT_AUTH_FAILURES_PER_MINUTE) {
                assertThat(response.status()).as("attempt %d", i + 1).isEqualTo(401);
            } else if (first429 == null) {
                first429 = response;
            }
        }
        assertThat(statuses).isEqualTo(Map.of(401, 10, 429, 1_990));
        assertThat(assertError(first429, 429)).contains("too many failed authentications");

        // the header, read raw: Retry-After in whole seconds, at most the window
        HttpResponse<String> raw = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + running.service().port() + "/api/v1/alerts"))
                .header("Authorization", "Bearer wrong-token").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(raw.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(raw.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);

        // refused before the credential is looked at: the right token from this address waits too
        assertThat(running.api().get("/api/v1/alerts").status()).isEqualTo(429);
        // probes carry no credential and keep their answer
        Response health = running.api().withToken(null).get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
    }
}
