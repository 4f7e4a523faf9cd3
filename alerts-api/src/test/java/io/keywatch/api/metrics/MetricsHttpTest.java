package io.keywatch.api.metrics;

import static io.keywatch.api.support.ApiAssertions.assertOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.javalin.Javalin;
import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.api.support.ApiClient;
import io.keywatch.api.support.KafkaTestClients;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestServices;
import io.keywatch.api.support.WebhookReceiver;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} on the real embedded Kafka and PostgreSQL: after an alert that revokes a key and delivers a
 * webhook, a malformed alert record and a flood of made-up paths, the scrape shows the counters moved by exactly
 * what happened, the binders' series are there, and no request added a series of its own.
 */
@ExtendWith(SharedInfra.class)
class MetricsHttpTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static ApiSettings settings;
    private static AlertsApiService service;
    private static ApiClient api;
    private static KafkaTestClients kafka;
    private static WebhookReceiver receiver;
    private static ProcessMetrics metrics;

    @BeforeAll
    static void start(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        settings = TestServices.settings(postgres, broker)
                .withWebhooks(TestServices.webhooks())
                .withRevocation(RevocationSettings.DEFAULTS.withRules(
                        RevocationSettings.parseRules("AUTH_FAILURE_BURST:CRITICAL")));
        metrics = new ProcessMetrics();
        service = new AlertsApiService(settings).withMetrics(metrics.registry(), MetricsSettings.DEFAULTS).start();
        api = new ApiClient(service.port(), TestServices.TOKEN);
        kafka = new KafkaTestClients(broker.bootstrapServers());
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            kafka.close();
            service.close();
            receiver.close();
            metrics.close();
        }
    }

    @Test
    void countersMoveByWhatHappenedAndMadeUpPathsAddNoSeries() throws Exception {
        Scrape before = scrape(null);
        assertThat(before.has("jvm_memory_used_bytes")).as("JVM binder").isTrue();
        assertThat(before.has("jvm_gc_pause_seconds_max") || before.has("jvm_gc_memory_allocated_bytes_total"))
                .as("GC binder").isTrue();
        assertThat(before.has("process_cpu_usage")).as("process binder").isTrue();
        assertThat(before.has("jetty_threads_current")).as("Jetty thread-pool binder").isTrue();
        assertThat(before.has("hikaricp_connections")).as("HikariCP binder").isTrue();
        assertThat(before.has("kafka_consumer_fetch_manager_records_lag_max")).as("Kafka client binder").isTrue();
        // every Kafka client of the API, by its client tag: the two intake consumers, the key-state producer, admin
        assertThat(before.samples().keySet()).as("Kafka clients by tag")
                .anyMatch(series -> series.startsWith("kafka_consumer_") && series.contains("client=\"alert-intake\""))
                .anyMatch(series -> series.startsWith("kafka_consumer_") && series.contains("client=\"key-scopes\""))
                .anyMatch(series -> series.startsWith("kafka_producer_") && series.contains("client=\"key-state\""))
                .anyMatch(series -> series.startsWith("kafka_admin_") && series.contains("client=\"api-admin\""));

        assertOk(api.post("/api/v1/webhooks", "{\"url\":\"" + receiver.url("/m1")
                + "\",\"eventTypes\":[\"key.revoked\"],\"owner\":\"team-m1\"}"), 201);
        assertOk(api.put("/api/v1/keys/m1-key", "{\"owner\":\"team-m1\",\"autoRevoke\":true}"), 201);
        kafka.publish(settings.topics().alerts(), TestAlerts.alert("m1-alert", "m1-key",
                AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, Instant.now()));
        kafka.publishRaw(settings.topics().alerts(), "m1-key", "{not an alert".getBytes(StandardCharsets.UTF_8));
        await().atMost(TIMEOUT).until(() -> receiver.received("/m1").size() == 1);

        Scrape after = await().atMost(TIMEOUT).until(() -> scrape(null),
                s -> s.sum("keywatch_webhook_attempts_seconds_count", "outcome", "delivered") >= 1
                        && s.sum("keywatch_alerts_quarantined_total") >= 1);
        assertThat(delta(before, after, "keywatch_alerts_stored_total", "outcome", "opened")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_alerts_stored_total")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_intake_lag_seconds_count")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_intake_lag_out_of_range_total")).isZero();
        assertThat(delta(before, after, "keywatch_alerts_quarantined_total")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_revocations_total", "outcome", "revoked")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_revocations_total")).isEqualTo(1);
        assertThat(delta(before, after, "keywatch_webhook_attempts_seconds_count", "outcome", "delivered"))
                .isEqualTo(1);
        assertThat(delta(before, after, "keywatch_webhook_attempts_seconds_count")).isEqualTo(1);
        assertThat(after.has("keywatch_webhook_outbox_pending")).isTrue();
        assertThat(after.has("keywatch_webhook_outbox_oldest_age_seconds")).isTrue();
        assertThat(after.sum("keywatch_http_requests_seconds_count", "route", "/api/v1/keys/{keyId}",
                "method", "PUT", "status", "201")).isEqualTo(1);

        // one request of each kind first, so that their series exist; then a thousand more must add none
        flood(0, 1);
        Set<String> series = keywatchSeries(scrape(null));
        flood(1, 1_000);
        Scrape flooded = scrape(null);
        assertThat(flooded.sum("keywatch_http_requests_seconds_count", "route", HttpMetrics.UNMATCHED,
                "status", "404")).isGreaterThanOrEqualTo(1_000);
        assertThat(flooded.sum("keywatch_http_requests_seconds_count", "route", "/api/v1/keys/{keyId}",
                "status", "404")).isGreaterThanOrEqualTo(1_000);
        // keywatch's own series only: the Kafka and JVM binders add theirs as partitions are assigned and GCs run
        assertThat(keywatchSeries(flooded)).as("series after 3,000 made-up paths, key ids and methods")
                .isEqualTo(series);
        assertThat(flooded.sum("keywatch_http_requests_seconds_count", "method", HttpMetrics.OTHER_METHOD))
                .isGreaterThanOrEqualTo(1_000);
        assertThat(flooded.samples().keySet()).noneMatch(s -> s.contains("made-up"));
    }

    @Test
    void aScrapeTokenWhenSetIsRequiredAndCompared() throws Exception {
        MetricsSettings guarded = new MetricsSettings(true, "scrape-token-0123456789");
        MetricsController controller = new MetricsController(metrics.registry(), guarded);
        assertThat(guarded.toString()).doesNotContain("scrape-token");
        Javalin app = Javalin.create(c -> c.routes.get("/metrics", controller::scrape))
                .start("127.0.0.1", 0);
        try {
            int port = app.port();
            assertThat(get(port, null).statusCode()).isEqualTo(401);
            assertThat(get(port, "Bearer scrape-token-0123456780").statusCode()).isEqualTo(401);
            assertThat(get(port, "scrape-token-0123456789").statusCode()).isEqualTo(401);
            HttpResponse<String> ok = get(port, "Bearer scrape-token-0123456789");
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.headers().firstValue("Cache-Control")).hasValue("no-store");
            // the scheme in any case (RFC 9110)
            assertThat(get(port, "bearer scrape-token-0123456789").statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("jvm_memory_used_bytes");
        } finally {
            app.stop();
        }
    }

    /**
     * Requests to made-up paths ({@code unmatched}), made-up key ids (the route template) and with made-up methods
     * (Javalin 7 names a method after whatever was sent), numbered [from, to).
     */
    private static void flood(int from, int to) throws IOException, InterruptedException {
        for (int i = from; i < to; i++) {
            assertThat(api.get("/made-up/path-" + i).status()).isEqualTo(404);
            assertThat(api.get("/api/v1/keys/made-up-" + i).status()).isEqualTo(404);
            HttpResponse<String> madeUpMethod = HTTP.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + service.port() + "/api/v1/alerts"))
                    .method("MADEUP" + i, HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(madeUpMethod.statusCode()).isBetween(400, 499);
        }
    }

    private static Set<String> keywatchSeries(Scrape scrape) {
        return scrape.samples().keySet().stream().filter(s -> s.startsWith("keywatch_"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static double delta(Scrape before, Scrape after, String name, String... labels) {
        return after.sum(name, labels) - before.sum(name, labels);
    }

    private static Scrape scrape(String authorization) throws IOException, InterruptedException {
        HttpResponse<String> response = get(service.port(), authorization);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("text/plain"));
        return Scrape.parse(response.body());
    }

    private static HttpResponse<String> get(int port, String authorization) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
