package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deliveries to a tiny HTTP server on 127.0.0.1; signatures checked with the Standard Webhooks reference library. */
class WebhookSenderTest {

    private record Received(String path, String method, Headers headers, byte[] body) {
    }

    private static final ConcurrentLinkedQueue<Received> RECEIVED = new ConcurrentLinkedQueue<>();
    private static HttpServer server;
    private static ExecutorService serverThreads;
    private static String base;

    private final WebhookSecret secret = WebhookSecret.generate();
    private final WebhookEvent event = WebhookEvents.create().keyStateChanged(new io.keywatch.events.KeyState(
            "pk_live_42", io.keywatch.events.KeyStatus.REVOKED, Instant.parse("2026-11-27T19:00:00Z"),
            "automatic: LEAKED_KEY alert a1", "policy:LEAKED_KEY"));
    private final WebhookSender sender = new WebhookSender(Duration.ofSeconds(2), Duration.ofMillis(800),
            new SsrfGuard(WebhookAllowList.parse("127.0.0.0/8"), true, SsrfGuard.HostResolver.system()),
            Clock.systemUTC());

    @BeforeAll
    static void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", WebhookSenderTest::handle);
        serverThreads = Executors.newCachedThreadPool();
        server.setExecutor(serverThreads);
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stopReceiver() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @BeforeEach
    void forgetEarlierRequests() {
        RECEIVED.clear();
    }

    private static void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        RECEIVED.add(new Received(path, exchange.getRequestMethod(), exchange.getRequestHeaders(), body));
        switch (path) {
            case "/ok" -> respond(exchange, 200, "thanks");
            case "/accepted-empty" -> respond(exchange, 204, null);
            case "/fail" -> respond(exchange, 500, "database is down");
            case "/limited" -> {
                exchange.getResponseHeaders().add("Retry-After", "120");
                respond(exchange, 429, "slow down");
            }
            case "/gone" -> respond(exchange, 410, "no longer listening");
            case "/redirect" -> {
                exchange.getResponseHeaders().add("Location", base + "/ok");
                respond(exchange, 302, null);
            }
            case "/big" -> respond(exchange, 200, "x".repeat(10_000));
            case "/slow" -> {
                try {
                    Thread.sleep(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                respond(exchange, 200, "too late");
            }
            default -> respond(exchange, 404, "no such hook");
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private SignedRequest signedNow() {
        return WebhookSigner.of(secret).sign(event.id(), Instant.now().getEpochSecond(), event.toJson());
    }

    @Test
    void deliversASignedPostThatTheReferenceVerifierAccepts() {
        SignedRequest request = signedNow();

        AttemptResult result = sender.send(URI.create(base + "/ok"), request);

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.DELIVERED);
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.responseBody()).isEqualTo("HTTP/1.1 200 OK");
        assertThat(result.error()).isNull();
        assertThat(result.latencyMs()).isNotNegative();
        assertThat(RECEIVED).hasSize(1);
        Received received = RECEIVED.peek();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.body()).isEqualTo(event.toJson());
        assertThat(received.headers().getFirst("webhook-id")).isEqualTo(event.id());
        assertThat(received.headers().getFirst("webhook-timestamp")).isEqualTo(Long.toString(request.timestampSeconds()));
        assertThat(received.headers().getFirst("content-type")).isEqualTo("application/json");
        assertThat(received.headers().getFirst("user-agent")).startsWith("keywatch-webhooks/");
        assertThatCode(() -> new Webhook(secret.reveal())
                .verify(new String(received.body(), StandardCharsets.UTF_8), received.headers()))
                .doesNotThrowAnyException();
    }

    @Test
    void aRetryKeepsTheIdAndBodyButIsSignedAnewForItsOwnTimestamp() {
        long earlier = Instant.now().getEpochSecond() - 60;
        sender.send(URI.create(base + "/fail"),
                WebhookSigner.of(secret).sign(event.id(), earlier, event.toJson()));
        sender.send(URI.create(base + "/ok"), signedNow());

        List<Received> both = List.copyOf(RECEIVED);
        assertThat(both).hasSize(2);
        assertThat(both).extracting(r -> r.headers().getFirst("webhook-id")).containsOnly(event.id());
        assertThat(both.get(0).body()).isEqualTo(both.get(1).body());
        assertThat(both.get(0).headers().getFirst("webhook-signature"))
                .isNotEqualTo(both.get(1).headers().getFirst("webhook-signature"));
        for (Received r : both) {
            assertThatCode(() -> new Webhook(secret.reveal())
                    .verify(new String(r.body(), StandardCharsets.UTF_8), r.headers())).doesNotThrowAnyException();
        }
    }

    @Test
    void aServerErrorIsRetriedAndKeepsOnlyTheStatusLine() {
        AttemptResult result = sender.send(URI.create(base + "/fail"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.status()).isEqualTo(500);
        assertThat(result.responseBody()).isEqualTo("HTTP/1.1 500 Internal Server Error");
    }

    @Test
    void tooManyRequestsIsRetriedAndCarriesRetryAfter() {
        AttemptResult result = sender.send(URI.create(base + "/limited"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.status()).isEqualTo(429);
        assertThat(result.retryAfterDelay()).contains(Duration.ofSeconds(120));
        assertThat(result.summary()).isEqualTo("RETRY (HTTP 429, " + result.latencyMs() + " ms, Retry-After 120 s)");
    }

    @Test
    void goneMeansTheEndpointMustBeDisabled() {
        assertThat(sender.send(URI.create(base + "/gone"), signedNow()).outcome())
                .isEqualTo(AttemptResult.Outcome.GONE);
    }

    @Test
    void anEmpty2xxIsDelivered() {
        AttemptResult result = sender.send(URI.create(base + "/accepted-empty"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.DELIVERED);
        assertThat(result.status()).isEqualTo(204);
        assertThat(result.responseBody()).startsWith("HTTP/1.1 204");
    }

    @Test
    void redirectsAreNotFollowed() {
        AttemptResult result = sender.send(URI.create(base + "/redirect"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.status()).isEqualTo(302);
        assertThat(result.error()).contains("redirect not followed");
        assertThat(RECEIVED).extracting(Received::path).containsExactly("/redirect");
    }

    @Test
    void aLargeResponseBodyIsNotStored() {
        AttemptResult result = sender.send(URI.create(base + "/big"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.DELIVERED);
        assertThat(result.responseBody()).isEqualTo("HTTP/1.1 200 OK").doesNotContain("x");
    }

    @Test
    void aLongStatusLineIsCutAndItsControlCharactersReplaced() {
        String line = "HTTP/1.1 200 " + "\u001b[31m".repeat(100);

        String snippet = WebhookSender.snippet(line);

        assertThat(snippet).hasSize(WebhookSender.MAX_SNIPPET_CHARS + 1).endsWith("…").doesNotContain("\u001b");
    }

    @Test
    void aNameThatResolvesToAPublicAddressWhenCheckedIsNotResolvedAgainToLoopbackForTheConnection() {
        // the check's resolver answers a public address (TEST-NET-3); any later lookup of "localhost" (the JVM's, as
        // an HTTP client that resolves on its own would do) answers 127.0.0.1, where the receiver listens: the
        // DNS-rebinding attacker's second answer
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        SsrfGuard.HostResolver rebinding = host -> {
            lookups.incrementAndGet();
            return List.of(InetAddress.getByName("203.0.113.7"));
        };
        int port = server.getAddress().getPort();
        WebhookSender guarded = new WebhookSender(Duration.ofMillis(300), Duration.ofMillis(300),
                new SsrfGuard(WebhookAllowList.parse(":" + port), true, rebinding), Clock.systemUTC());

        AttemptResult result = guarded.send(URI.create("http://localhost:" + port + "/ok"), signedNow());

        assertThat(result.delivered()).isFalse();
        assertThat(RECEIVED).as("nothing reached the loopback receiver").isEmpty();
        assertThat(lookups).as("resolved once, for the check; the connection went to that address").hasValue(1);
    }

    @Test
    void aPortOtherThan443Or80IsRefusedUnlessAllowListed() {
        SsrfGuard.HostResolver publicOnly = host -> List.of(InetAddress.getByName("203.0.113.7"));

        assertThat(new SsrfGuard(WebhookAllowList.EMPTY, true, publicOnly).check("https://hooks.example:8080/h"))
                .extracting(SsrfGuard.Verdict::problem).isEqualTo(SsrfGuard.Problem.PORT_NOT_ALLOWED);
        assertThat(new SsrfGuard(WebhookAllowList.EMPTY, true, publicOnly).check("https://hooks.example:443/h")
                .allowed()).isTrue();
        assertThat(new SsrfGuard(WebhookAllowList.EMPTY, true, publicOnly).check("http://hooks.example/h")
                .allowed()).isTrue();
        assertThat(new SsrfGuard(WebhookAllowList.parse(":8080"), true, publicOnly)
                .check("https://hooks.example:8080/h").allowed()).isTrue();
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetried() {
        AttemptResult result = sender.send(URI.create(base + "/slow"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.status()).isNull();
        assertThat(result.error()).isEqualTo("timed out after 800 ms waiting for a response");
        assertThat(result.latencyMs()).isBetween(700L, 4_000L);
    }

    @Test
    void aRefusedConnectionIsRetried() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        AttemptResult result = sender.send(URI.create("http://127.0.0.1:" + closedPort + "/hook"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.status()).isNull();
        assertThat(result.error()).isEqualTo("connection refused");
    }

    @Test
    void theGuardStopsADeliveryToARefusedAddressBeforeConnecting() {
        WebhookSender guarded = new WebhookSender(Duration.ofSeconds(1), Duration.ofSeconds(1),
                new SsrfGuard(WebhookAllowList.EMPTY, true, SsrfGuard.HostResolver.system()), Clock.systemUTC());

        AttemptResult result = guarded.send(URI.create(base + "/ok"), signedNow());

        assertThat(result.outcome()).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(result.error()).isEqualTo("not sent: webhook URL resolves to 127.0.0.1, a loopback address; "
                + "allow it with KEYWATCH_WEBHOOK_ALLOW");
        assertThat(RECEIVED).isEmpty();
    }

    @Test
    void theResultNeverCarriesTheSecretOrTheSignature() {
        SignedRequest request = signedNow();

        AttemptResult result = sender.send(URI.create(base + "/fail"), request);

        String everything = result.toString() + result.summary();
        assertThat(everything).doesNotContain(secret.reveal().substring(6)).doesNotContain(request.signature());
    }

    @Test
    void createUsesTheSettingsTimeout() {
        WebhookSettings settings = WebhookSettings.fromEnv(Map.of("KEYWATCH_WEBHOOK_ALLOW", "127.0.0.1",
                "KEYWATCH_WEBHOOK_ALLOW_HTTP", "true", "KEYWATCH_WEBHOOK_TIMEOUT_MS", "700"));

        AttemptResult result = WebhookSender.create(settings, SsrfGuard.create(settings))
                .send(URI.create(base + "/slow"), signedNow());

        assertThat(result.error()).isEqualTo("timed out after 700 ms waiting for a response");
    }
}
