package io.keywatch.standalone.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.StreamsHealthCheck;
import io.keywatch.api.metrics.MetricsSettings;
import io.keywatch.api.metrics.ProcessMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code keywatch streams} alone serves the process' metrics on its health port, behind the scrape token if set. */
class ProbeServerMetricsTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryOnTheHealthPortBehindTheScrapeToken() throws Exception {
        try (ProcessMetrics metrics = new ProcessMetrics();
             ProbeServer probes = ProbeServer.start(0, health(), null, new ProbeServer.Metrics(metrics.registry(),
                     new MetricsSettings(true, "scrape-token-0123456789")))) {
            assertThat(get(probes, null).statusCode()).isEqualTo(401);
            assertThat(get(probes, "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(probes, "Bearer scrape-token-0123456789");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/plain"));
            assertThat(ok.body()).contains("jvm_memory_used_bytes").contains("process_cpu_usage");
        }
    }

    @Test
    void answers404WhenMetricsAreOff() throws Exception {
        try (ProbeServer probes = ProbeServer.start(0, health(), null, null)) {
            HttpResponse<String> off = get(probes, null);
            assertThat(off.statusCode()).isEqualTo(404);
            assertThat(off.body()).contains("KEYWATCH_METRICS_ENABLED");
        }
    }

    private static HealthController health() {
        return new HealthController(Map.of("streams", new StreamsHealthCheck(() -> "RUNNING", () -> 0)));
    }

    private HttpResponse<String> get(ProbeServer probes, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + probes.port() + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
