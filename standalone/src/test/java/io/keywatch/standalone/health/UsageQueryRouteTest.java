package io.keywatch.standalone.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.StreamsHealthCheck;
import io.keywatch.api.usage.UsageMinute;
import io.keywatch.api.usage.UsageSource;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streams health server's {@code /usage/} route under hostile or heavy use: malformed queries are 400s (never a
 * dead handler thread), and slow usage queries never take the threads the liveness probe needs.
 */
class UsageQueryRouteTest {

    private static final String TOKEN = "usage-query-test-token-0123456789";

    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch entered = new CountDownLatch(UsageQueryRoute.MAX_IN_FLIGHT);
    private final HttpClient http = HttpClient.newHttpClient();
    private volatile boolean slow;
    private ProbeServer probes;

    @BeforeEach
    void start() throws Exception {
        UsageSource local = new UsageSource() {
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
                if (slow) {
                    entered.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return List.of();
            }
        };
        probes = ProbeServer.start(0, new HealthController(Map.of("streams",
                new StreamsHealthCheck(() -> "RUNNING", () -> 0))),
                new UsageQueryRoute(local, keyId -> Optional.empty(), TOKEN));
    }

    @AfterEach
    void stop() {
        release.countDown();
        probes.close();
    }

    @Test
    void malformedQueriesAre400sAndTheServerGoesOn() throws Exception {
        for (String query : List.of("/usage/k%zz?from=2026-12-06T00:00:00Z&to=2026-12-06T01:00:00Z",
                "/usage/k-1?from=2026-12-06T00:00:00Z&to=%zz",
                "/usage/k-1?from=-999999999-01-01T00:00:00Z&to=+999999999-12-31T23:59:59Z",
                "/usage/k-1?from=1900-01-01T00:00:00Z&to=2026-12-06T01:00:00Z")) {
            // over a raw socket: Java's HTTP client refuses to send a malformed escape at all
            String answer = rawGet(query);
            // (a malformed escape is already refused by the JDK's server, before the route)
            assertThat(answer).as(query).startsWith("HTTP/1.1 400");
        }
        assertThat(get("/usage/k-1?from=2026-12-06T00:00:00Z&to=2026-12-06T01:00:00Z").statusCode()).isEqualTo(200);
    }

    @Test
    void slowUsageQueriesNeverTakeTheLivenessProbesThreads() throws Exception {
        slow = true;
        List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
        for (int i = 0; i < UsageQueryRoute.MAX_IN_FLIGHT; i++) {
            waiting.add(http.sendAsync(request("/usage/k-" + i + "?from=2026-12-06T00:00:00Z&to=2026-12-06T01:00:00Z"),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("both queries are being answered").isTrue();

        HttpResponse<String> third = get("/usage/k-9?from=2026-12-06T00:00:00Z&to=2026-12-06T01:00:00Z");
        assertThat(third.statusCode()).isEqualTo(503);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();
        assertThat(get("/health/live").statusCode()).isEqualTo(200);

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> answer : waiting) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private String rawGet(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", probes.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probes.port() + path))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(20)).GET().build();
    }
}
