package io.keywatch.standalone.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.StreamsHealthCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health routes of {@code keywatch streams} alone answer as the API's do, from the topology's state. */
class ProbeServerTest {

    private final AtomicReference<String> state = new AtomicReference<>("REBALANCING");
    private final AtomicInteger restoring = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private ProbeServer probes;

    @BeforeEach
    void start() throws Exception {
        probes = ProbeServer.start(0, new HealthController(
                Map.of("streams", new StreamsHealthCheck(state::get, restoring::get))));
    }

    @AfterEach
    void stop() {
        probes.close();
    }

    @Test
    void aRebalancingInstanceIsLiveButNotReady() throws Exception {
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body()).contains("\"status\":\"DOWN\"").contains("streams: REBALANCING");
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> full = get("/health");
        assertThat(full.statusCode()).isEqualTo(200);
        assertThat(full.body()).contains("\"status\":\"DEGRADED\"").contains("\"ready\":false");
    }

    @Test
    void readyOnlyWhenRunningWithNothingToRestore() throws Exception {
        state.set("RUNNING");
        restoring.set(2);
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
        restoring.set(0);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(get("/health").body()).contains("\"status\":\"UP\"");
    }

    @Test
    void deadThreadsFailLiveness() throws Exception {
        state.set("ERROR");
        assertThat(get("/health/live").statusCode()).isEqualTo(503);
        assertThat(get("/health").statusCode()).isEqualTo(503);
    }

    @Test
    void servesNothingElse() throws Exception {
        HttpResponse<String> other = get("/api/v1/alerts");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("only /health");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/health/ready"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + probes.port() + path);
    }
}
