package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone's one registry on the API's {@code /metrics}: events published through Kafka, malformed ones
 * among them, move the topology's counters by exactly what was sent, the alerts they raise are counted where they
 * are emitted and where they are stored, and Kafka Streams' own metrics are there.
 */
class StandaloneMetricsTest {

    private static final String TOKEN = "metrics-admin-token";
    private static final int VALID = 300;
    private static final int MALFORMED = 12;
    private static final Pattern METRIC = Pattern.compile("\\b(?:keywatch|kafka|jvm|process)_[a-z_]+\\b");

    @TempDir
    static Path dataDir;

    private static Standalone keywatch;

    @BeforeAll
    static void startKeywatch() throws InterruptedException {
        keywatch = RunningStandalone.start(dataDir, Map.of("KEYWATCH_ADMIN_TOKEN", TOKEN));
    }

    @AfterAll
    static void stopKeywatch() {
        if (keywatch != null) {
            keywatch.close();
        }
    }

    @Test
    void eventsDeadLettersAndAlertsMoveTheCountersOnTheApiPort() throws Exception {
        String topic = keywatch.streams().settings().topics().usageEvents();
        Instant now = Instant.now();
        try (UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.of(keywatch.kafkaBootstrap()))) {
            for (int i = 0; i < VALID; i++) {
                // unregistered keys: each raises UNKNOWN_KEY, and none may become a label
                publisher.accept(UsageEvent.of("evt-" + i, "made-up-key-" + (i % 100), now.minusSeconds(2),
                        "billing", AuthResult.OK).withRequest("GET", "/v1/invoices", 200));
            }
            publisher.flush();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, keywatch.kafkaBootstrap());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < MALFORMED; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, ("{broken " + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }

        String text = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(StandaloneMetricsTest::scrape, s -> sum(s, "keywatch_events_processed_total") >= VALID + MALFORMED
                        && sum(s, "keywatch_alerts_emitted_total{rule=\"UNKNOWN_KEY\"") >= 100
                        && sum(s, "keywatch_alerts_stored_total") >= sum(s, "keywatch_alerts_emitted_total"));
        double emitted = sum(text, "keywatch_alerts_emitted_total");
        assertThat(sum(text, "keywatch_events_processed_total")).isEqualTo(VALID + MALFORMED);
        assertThat(sum(text, "keywatch_events_dead_lettered_total{reason=\"invalid-json\"}"))
                .isEqualTo(MALFORMED);
        assertThat(sum(text, "keywatch_alerts_emitted_total{rule=\"UNKNOWN_KEY\"")).isEqualTo(100);
        assertThat(sum(text, "keywatch_detection_lag_seconds_count")
                + sum(text, "keywatch_detection_lag_out_of_range_total{bound=\"future\"}")).isEqualTo(emitted);
        assertThat(sum(text, "keywatch_alerts_stored_total")).isEqualTo(emitted);
        assertThat(text).contains("kafka_stream_").contains("jvm_memory_used_bytes").contains("hikaricp_connections")
                .contains("keywatch_http_requests_seconds_count").doesNotContain("made-up-key");
    }

    /**
     * Every metric the shipped Prometheus rules and Grafana dashboard query ({@code deploy/}) exists in a real
     * scrape of the standalone: a renamed metric cannot leave an alert that never fires or an empty panel.
     */
    @Test
    void everyMetricTheDeployedRulesAndDashboardUseExists() throws Exception {
        scrape(); // the HTTP request series appear with the first request answered
        Set<String> scraped = new HashSet<>();
        for (String line : scrape().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                scraped.add(line.split("[{ ]", 2)[0]);
            }
        }
        Path deploy = Path.of("..", "deploy");
        for (Path file : List.of(deploy.resolve("prometheus/keywatch-rules.yml"),
                deploy.resolve("grafana/keywatch-dashboard.json"))) {
            Set<String> used = new TreeSet<>();
            for (String line : Files.readAllLines(file)) {
                if (line.strip().startsWith("#")) {
                    continue;
                }
                Matcher metric = METRIC.matcher(line);
                while (metric.find()) {
                    used.add(metric.group());
                }
            }
            assertThat(used).as("metrics queried by %s", file).isNotEmpty();
            assertThat(scraped).as("a scrape of the standalone, for %s", file).containsAll(used);
        }
    }

    /** The sum of the samples whose series starts with {@code prefix}. */
    private static double sum(String scrape, String prefix) {
        double sum = 0;
        for (String line : scrape.split("\n")) {
            if (line.startsWith(prefix) && (line.charAt(prefix.length()) == ' ' || line.charAt(prefix.length()) == '{'
                    || prefix.endsWith("}") || prefix.endsWith("\""))) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + keywatch.httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
