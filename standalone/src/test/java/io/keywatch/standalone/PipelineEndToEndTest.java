package io.keywatch.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.UsageEventPublisher;
import io.keywatch.client.keystatus.KeyStatusCache;
import io.keywatch.client.keystatus.KeyStatusCacheSettings;
import io.keywatch.simulator.KeyProfile;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.simulator.TrafficGenerator;
import io.keywatch.simulator.TrafficModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on real parts: embedded Kafka and PostgreSQL, the topology and the API in one process, traffic
 * published through Kafka and results read back through HTTP, as a user would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndTest {

    private static final String TOKEN = "e2e-admin-token";
    private static final Set<String> HYGIENE_RULES = Set.of("KEY_EXPIRING", "KEY_ROTATION_DUE", "KEY_UNUSED");

    @TempDir
    static Path dataDir;

    private static Standalone keywatch;
    private static ApiTestClient api;

    @BeforeAll
    static void startKeywatch() throws InterruptedException {
        keywatch = RunningStandalone.start(dataDir, Map.of(
                "KEYWATCH_ADMIN_TOKEN", TOKEN,
                // the issuer's endpoint in this test listens on loopback over plain HTTP
                "KEYWATCH_WEBHOOK_ALLOW", "127.0.0.0/8", "KEYWATCH_WEBHOOK_ALLOW_HTTP", "true"));
        api = new ApiTestClient(keywatch.httpPort(), TOKEN);
    }

    @AfterAll
    static void stopKeywatch() {
        if (keywatch != null) {
            keywatch.close();
        }
    }

    @Test
    @Order(1)
    void leakedKeyIsFlaggedRevokedAndItsNextUseRaisesRevokedKeyUsed() {
        try (IssuerEndpoint issuer = new IssuerEndpoint();
             KeyStatusCache serviceCache = KeyStatusCache.start(KeyStatusCacheSettings.of(keywatch.kafkaBootstrap())
                     .withRecordSigningKeys(keywatch.recordSigningKeys()))) {
            leakedKeyScenario(issuer, serviceCache);
        }
    }

    private void leakedKeyScenario(IssuerEndpoint issuer, KeyStatusCache serviceCache) {
        String secret = api.subscribe(issuer.url(), List.of("key.revoked")).path("secret").asText();
        assertThat(secret).startsWith("whsec_");

        TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(20).withSeed(2026));
        KeyProfile leaked = model.activeKeys().get(7);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        // The team registers its keys first, as it would before switching keywatch on.
        for (KeyState entry : model.registry()) {
            assertThat(api.putKey(entry.keyId(), entry.metadata())).isEqualTo(201);
        }
        awaitTopologyKnows(model.registry());

        try (UsageEventPublisher publisher = new UsageEventPublisher(PublisherSettings.of(keywatch.kafkaBootstrap()))) {
            // Fifteen minutes of ordinary traffic for 20 keys, so that every key has a warm baseline.
            long normal = new TrafficGenerator(model).generate(now.minus(Duration.ofMinutes(15)), now, publisher);
            assertThat(normal).isGreaterThan(1_000);

            // The leak: 1,500 successful requests in 15 seconds from 48 addresses in 8 countries.
            List<UsageEvent> burst = leakBurst(leaked.keyId(), now, 1_500, Duration.ofSeconds(15));
            burst.forEach(publisher::accept);
            publisher.flush();
            Instant burstEnd = burst.get(burst.size() - 1).timestamp();

            await("the leak is visible through the API").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(api.alerts(Map.of("keyId", leaked.keyId(), "rule", "VOLUME_SPIKE")))
                            .anySatisfy(alert -> assertThat(alert.path("severity").asText()).isEqualTo("CRITICAL")));
            await("the key is revoked").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                JsonNode key = api.key(leaked.keyId());
                assertThat(key.path("status").asText()).isEqualTo("REVOKED");
                assertThat(key.path("changedBy").asText()).isEqualTo("policy:VOLUME_SPIKE");
            });

            // The issuer hears of it once, signed so that it can trust the message; a service's cache knows at once.
            await("the issuer receives a signed key.revoked").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(issuer.deliveries())
                            .filteredOn(delivery -> delivery.body().contains("\"keyId\":\"" + leaked.keyId() + "\""))
                            .singleElement()
                            .satisfies(delivery -> {
                                assertThat(delivery.body()).contains("\"type\":\"key.revoked\"");
                                assertThatCode(() -> new Webhook(secret).verify(delivery.body(), delivery.headers()))
                                        .doesNotThrowAnyException();
                            }));
            await("a service's KeyStatusCache sees the revocation").atMost(Duration.ofSeconds(5))
                    .until(() -> serviceCache.isRevoked(leaked.keyId()));

            // A later use, in a minute of its own so that it cannot fold into an alert the burst's tail raised.
            Instant laterUse = laterThan(burstEnd, Instant.now()).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)).plusSeconds(1);
            publisher.publish(ordinaryUse(leaked.keyId(), laterUse)).join();

            await("the later use raises REVOKED_KEY_USED").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertThat(api.alerts(Map.of("keyId", leaked.keyId(), "rule", "REVOKED_KEY_USED")))
                            .anySatisfy(alert -> {
                                assertThat(alert.path("severity").asText()).isEqualTo("CRITICAL");
                                assertThat(Instant.parse(alert.path("triggeredAt").asText())).isEqualTo(laterUse);
                            }));
        }

        // Normal traffic stayed quiet: every traffic alert raised is about the leaked key. (Registry hygiene, such as a
        // key that expires within two weeks, is reported whatever the traffic.)
        assertThat(api.alerts(Map.of("since", now.minus(Duration.ofHours(1)).toString())))
                .filteredOn(alert -> !alert.path("keyId").asText().startsWith("plain-"))
                .filteredOn(alert -> !HYGIENE_RULES.contains(alert.path("rule").asText()))
                .isNotEmpty()
                .allSatisfy(alert -> assertThat(alert.path("keyId").asText()).isEqualTo(leaked.keyId()));
    }

    @Test
    @Order(2)
    void aPlainKafkaClientDrivesTheSamePipeline() {
        String keyId = "plain-client-key-" + UUID.randomUUID();
        // The rule counts failures per minute, so all of them go into one minute. That minute lies ahead of the clock:
        // the leak scenario ran first and moved event time up to a minute ahead, and the topology drops events that
        // arrive more than 30 s behind the newest event time it has seen.
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, keywatch.kafkaBootstrap());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (var producer = new KafkaProducer<String, String>(props, new StringSerializer(), new StringSerializer())) {
            // Someone guessing the secret: 120 failed checks within a minute, sent as hand-written JSON.
            for (int i = 0; i < 120; i++) {
                String json = """
                        {"eventId":"%s","keyId":"%s","timestamp":"%s","service":"payments","method":"POST",\
                        "path":"/v1/charges","status":401,"authResult":"INVALID_SECRET","clientIp":"198.51.100.23",\
                        "country":"NL","tls":true,"credentialLocation":"HEADER"}"""
                        .formatted(UUID.randomUUID(), keyId, start.plusMillis(100L * i));
                producer.send(new ProducerRecord<>("keywatch.usage-events", keyId, json));
            }
            // And one record that is not an event at all.
            producer.send(new ProducerRecord<>("keywatch.usage-events", keyId, "{\"keyId\":\"" + keyId + "\"}"));
            producer.flush();
        }

        await("the brute force is visible through the API").atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(api.alerts(Map.of("keyId", keyId, "rule", "AUTH_FAILURE_BURST")))
                        .singleElement()
                        .satisfies(alert -> assertThat(alert.path("severity").asText()).isEqualTo("CRITICAL")));
        await("the key is revoked").atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(api.key(keyId).path("status").asText()).isEqualTo("REVOKED"));

        ConsumerRecord<String, String> deadLetter = firstDeadLetterFor(keyId);
        assertThat(deadLetter.value()).isEqualTo("{\"keyId\":\"" + keyId + "\"}");
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetter.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("missing required field 'eventId'");
    }

    @Test
    @Order(3)
    void afterwardsTheInstanceIsReadyAndItsAlertIntakeReadsZeroLagOnTheExactlyOnceAlertTopic() {
        await("ready, with the alerts of the tests before taken in").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    JsonNode ready = api.get("/health/ready");
                    assertThat(ready.path("status").asText()).as(ready.toString()).isEqualTo("UP");
                    assertThat(ready.at("/components/streams/figures/state").asText()).isEqualTo("RUNNING");
                    assertThat(ready.at("/components/streams/figures/restoringStores").asInt()).isZero();
                    // the topology writes alerts in transactions: zero only when the commits pass their markers
                    assertThat(ready.at("/components/alertIntake/figures/lag").isMissingNode()).isFalse();
                    assertThat(ready.at("/components/alertIntake/figures/lag").asLong()).isZero();
                });
        JsonNode live = api.get("/health/live");
        assertThat(live.path("status").asText()).isEqualTo("UP");
        assertThat(api.get("/health").path("ready").asBoolean()).isTrue();
    }

    @Test
    @Order(4)
    void theApiRanAllOfThatAsARoleThatOwnsNothingAndCannotRewriteTheAuditTrail() throws SQLException {
        Map<String, String> env = keywatch.serviceEnv();
        String url = env.get("KEYWATCH_DB_URL");
        String app = env.get("KEYWATCH_DB_USER");
        assertThat(app).isEqualTo("keywatch_app").isNotEqualTo(env.get("KEYWATCH_DB_MIGRATION_USER"));
        try (Connection owner = DriverManager.getConnection(url, env.get("KEYWATCH_DB_MIGRATION_USER"),
                env.get("KEYWATCH_DB_MIGRATION_PASSWORD"));
             Statement statement = owner.createStatement();
             ResultSet rows = statement.executeQuery("SELECT usename, count(*) FROM pg_stat_activity "
                     + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid() GROUP BY usename")) {
            Map<String, Long> connections = new java.util.HashMap<>();
            while (rows.next()) {
                connections.put(rows.getString(1), rows.getLong(2));
            }
            // the service's pool is the app role's; the owner's migration connection is closed
            assertThat(connections).containsOnlyKeys(app);
        }
        try (Connection asApp = DriverManager.getConnection(url, app, env.get("KEYWATCH_DB_PASSWORD"));
             Statement statement = asApp.createStatement()) {
            for (String sql : List.of("DELETE FROM audit_log", "UPDATE audit_log SET identity = 'x'",
                    "TRUNCATE alerts", "CREATE TABLE mine (id int)", "DROP TABLE keys")) {
                assertThatThrownBy(() -> statement.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
        }
    }

    /**
     * The registry reaches the topology through the key-state topic; wait until the topology's global store has every
     * entry, so that the first events are not judged as coming from unknown keys.
     */
    private static void awaitTopologyKnows(List<KeyState> registry) {
        await("the topology knows the registered keys").atMost(Duration.ofSeconds(30))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .until(() -> registry.stream().allMatch(entry -> keywatch.streams().keyState(entry.keyId())
                        .filter(KeyState::isRegistered).isPresent()));
    }

    private static List<UsageEvent> leakBurst(String keyId, Instant start, int count, Duration over) {
        String[] countries = {"BR", "CN", "IN", "NG", "RU", "US", "VN", "ID"};
        List<UsageEvent> events = new ArrayList<>(count);
        long stepMicros = over.toNanos() / 1_000 / count;
        for (int i = 0; i < count; i++) {
            events.add(UsageEvent.of(UUID.randomUUID().toString(), keyId, start.plus(stepMicros * i, ChronoUnit.MICROS),
                            "storage", AuthResult.OK)
                    .withRequest("GET", "/v1/buckets/{bucket}/objects/{key}", 200)
                    .withClient("203.0.113." + (i % 48 + 1), countries[i % countries.length], "python-requests/2.32")
                    .withDetails(35, "storage:read", true, CredentialLocation.HEADER));
        }
        return events;
    }

    private static UsageEvent ordinaryUse(String keyId, Instant at) {
        return UsageEvent.of(UUID.randomUUID().toString(), keyId, at, "storage", AuthResult.OK)
                .withRequest("GET", "/v1/buckets/{bucket}", 200)
                .withClient("192.0.2.10", "DE", "keywatch-e2e")
                .withDetails(20, "storage:read", true, CredentialLocation.HEADER);
    }

    private static Instant laterThan(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static ConsumerRecord<String, String> firstDeadLetterFor(String keyId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, keywatch.kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-dlq-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (var consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("keywatch.usage-events.dlq"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (keyId.equals(record.key())) {
                        return record;
                    }
                }
            }
        }
        throw new AssertionError("no dead letter for " + keyId + " within 30 s");
    }
}
