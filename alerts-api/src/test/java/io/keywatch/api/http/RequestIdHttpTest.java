package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestServices;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code X-Request-Id} is the caller's string, echoed in the answer and stored in the audit trail: only a short
 * token of safe characters is taken; anything else is replaced by an id keywatch makes, never echoed or stored (a
 * megabyte one is refused by Jetty with 431 before keywatch sees it).
 */
@ExtendWith(SharedInfra.class)
class RequestIdHttpTest {

    private static RunningApi running;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        running = RunningApi.start(postgres, broker);
    }

    @AfterAll
    static void stop() {
        if (running != null) {
            running.close();
        }
    }

    @Test
    void aSafeIdIsEchoedAndAHostileOneIsReplaced() throws Exception {
        assertThat(requestId("trace-42.a_b:c")).isEqualTo("trace-42.a_b:c");
        for (String hostile : List.of("x".repeat(65), "x".repeat(1_000_000), "a b", "id\u00e9", "<script>",
                "kw_abcd1234_" + "s".repeat(43))) {
            String answered = requestId(hostile);
            assertThat(answered).as("for a %d-char id", hostile.length()).isNotEqualTo(hostile);
            // a header too large for Jetty is answered 431 before keywatch sees it: then no id at all
            if (hostile.length() < 100_000) {
                assertThat(answered).matches("[0-9a-f-]{36}");
            }
        }
    }

    private String requestId(String sent) throws Exception {
        HttpResponse<String> response;
        try {
            response = send(sent);
        } catch (java.io.IOException refused) {
            // a header too large for Jetty: it may answer 431 and close while the client is still writing the
            // megabyte, which the client reports as a closed connection; refused either way, nothing echoed
            if (sent.length() < 100_000) {
                throw refused;
            }
            return "";
        }
        assertThat(response.statusCode()).as(response.body()).isLessThan(500);
        return response.headers().firstValue("X-Request-Id").orElse("");
    }

    private HttpResponse<String> send(String sent) throws Exception {
        return http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + running.service().port() + "/api/v1/alerts/no-such-alert/acknowledge"))
                .header("Authorization", "Bearer " + TestServices.TOKEN)
                .header("X-Request-Id", sent)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    }
}
