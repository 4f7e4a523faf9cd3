package io.keywatch.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.AlertsApiService;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.leastprivilege.KeyScopeConsumer;
import io.keywatch.api.secrets.SecretKeys;
import io.keywatch.api.alerts.AlertConsumer;
import io.keywatch.api.alerts.IntakeStatus;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.embedded.KafkaSasl;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KafkaClientConfig;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.client.PublisherSettings;
import io.keywatch.client.keystatus.KeyStatusCache;
import io.keywatch.client.keystatus.KeyStatusCacheSettings;
import io.keywatch.standalone.dlq.DeadLetterReader;
import io.keywatch.streams.KeywatchStreamsService;
import io.keywatch.streams.StreamsSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keywatch's Kafka clients against a broker that requires SASL/SCRAM and enforces ACLs, each under its own principal
 * with the ACLs the README's "Kafka ACLs for production" gives it, and configured only through the environment
 * scheme ({@code KEYWATCH_KAFKA_CONFIG_*}).
 */
class KafkaAclsTest {

    private static final Topics TOPICS = Topics.DEFAULTS;
    private static final String API_GROUP = ApiSettings.DEFAULT_CONSUMER_GROUP;
    private static final RecordSigningKeys SIGNING_KEYS = RecordSigningKeys.random("acl-test");
    private static final RecordSignatures SIGNATURES = new RecordSignatures(SIGNING_KEYS);
    private static final KafkaSasl SASL = new KafkaSasl(Map.of(KafkaSasl.ADMIN, "admin-secret",
            "publisher", "publisher-secret", "streams", "streams-secret", "api", "api-secret",
            "cache", "cache-secret"));

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker kafka;

    @BeforeAll
    static void startSecuredKafka() throws Exception {
        kafka = EmbeddedKafkaBroker.startWithSasl(dataDir, SASL);
        // the operator's part: topics and ACLs, made by the admin principal over SASL
        Map<String, Object> admin = new HashMap<>(SASL.clientSettings(KafkaSasl.ADMIN));
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        new TopicProvisioner(kafka.bootstrapServers(),
                new KafkaClientConfig(SASL.clientSettings(KafkaSasl.ADMIN)), Duration.ofSeconds(30))
                .ensure(TOPICS, 3, (short) 1);
        try (Admin client = Admin.create(admin)) {
            client.createAcls(acls()).all().get(30, TimeUnit.SECONDS);
            // the broker applies them from the metadata log a moment later: wait until its authorizer has them all
            await().atMost(Duration.ofSeconds(30)).until(() -> client.describeAcls(AclBindingFilter.ANY).values()
                    .get(10, TimeUnit.SECONDS).containsAll(acls()));
        }
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The README's "Kafka ACLs for production", as bindings (streams' application id keywatch-streams). */
    static List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        allow(acls, "publisher", ResourceType.TOPIC, TOPICS.usageEvents(), PatternType.LITERAL, AclOperation.WRITE);
        for (String topic : List.of(TOPICS.usageEvents(), TOPICS.keyState())) {
            allow(acls, "streams", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
        }
        for (String topic : List.of(TOPICS.alerts(), TOPICS.usageEventsDlq(), TOPICS.keyScopes())) {
            allow(acls, "streams", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
        }
        allow(acls, "streams", ResourceType.TOPIC, "keywatch-streams", PatternType.PREFIXED, AclOperation.ALL);
        allow(acls, "streams", ResourceType.GROUP, "keywatch-streams", PatternType.PREFIXED, AclOperation.READ);
        allow(acls, "streams", ResourceType.TRANSACTIONAL_ID, "keywatch-streams", PatternType.PREFIXED,
                AclOperation.WRITE);
        allow(acls, "streams", ResourceType.TRANSACTIONAL_ID, "keywatch-streams", PatternType.PREFIXED,
                AclOperation.DESCRIBE);
        for (String topic : List.of(TOPICS.alerts(), TOPICS.keyScopes())) {
            allow(acls, "api", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
        }
        for (String topic : List.of(TOPICS.keyState(), TOPICS.alertsDlq())) {
            allow(acls, "api", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
        }
        allow(acls, "api", ResourceType.GROUP, API_GROUP, PatternType.LITERAL, AclOperation.READ);
        allow(acls, "api", ResourceType.GROUP, KeyScopeConsumer.groupId(API_GROUP), PatternType.LITERAL,
                AclOperation.READ);
        allow(acls, "cache", ResourceType.TOPIC, TOPICS.keyState(), PatternType.LITERAL, AclOperation.READ);
        // the services check at start that keywatch's topics exist: they must see them all
        for (String service : List.of("streams", "api")) {
            allow(acls, service, ResourceType.TOPIC, "keywatch.", PatternType.PREFIXED, AclOperation.DESCRIBE);
        }
        return acls;
    }

    private static void allow(List<AclBinding> acls, String user, ResourceType type, String name, PatternType pattern,
                              AclOperation operation) {
        acls.add(new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }

    /** What an operator sets for a principal: the bootstrap and the common client settings, nothing else. */
    /** As keywatch writes its own topics: signed, or its readers would (rightly) refuse the record. */
    private static ProducerRecord<String, byte[]> signed(String topic, String key, byte[] value) {
        return new ProducerRecord<>(topic, null, key, value, SIGNATURES.sign(topic,
                key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders()));
    }

    private static Map<String, String> envFor(String user) {
        Map<String, String> env = new HashMap<>();
        env.put("KEYWATCH_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        SASL.clientSettings(user).forEach((key, value) ->
                env.put("KEYWATCH_KAFKA_CONFIG_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        env.put(RecordSigningKeys.VAR, SIGNING_KEYS.toEnvValue());
        return env;
    }

    @Test
    void thePublisherWritesUsageEventsAndNothingElse() throws Exception {
        PublisherSettings settings = PublisherSettings.fromEnv(envFor("publisher"));
        Properties props = settings.producerProperties();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(TOPICS.usageEvents(), "pk_1", "{}".getBytes()))
                    .get(30, TimeUnit.SECONDS);
            for (String forbidden : List.of(TOPICS.alerts(), TOPICS.keyState())) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(forbidden, "pk_1", "{}".getBytes()))
                        .get(30, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        assertThat(settings.toString()).doesNotContain("publisher-secret");
    }

    @Test
    void aPrincipalThatMayNotCreateTopicsIsToldWhatToDo() {
        PublisherSettings settings = PublisherSettings.fromEnv(envFor("publisher"));
        TopicProvisioner provisioner = new TopicProvisioner(settings.bootstrapServers(),
                new KafkaClientConfig(settings.producerOverrides()), Duration.ofSeconds(30));
        assertThatThrownBy(() -> provisioner.ensure(TOPICS, 3, (short) 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not allowed to create or describe keywatch's topics")
                .hasMessageContaining("Kafka ACLs for production")
                .hasMessageNotContaining("publisher-secret");
    }

    @Test
    void aClientWithoutTheRightPasswordIsNotLetIn() {
        Map<String, Object> props = new HashMap<>(KafkaSasl.clientSettings("publisher", "guessed"));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPICS.usageEvents(), "pk_1",
                    "{}".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theApisConsumerReadsAlertsUnderItsPrincipal() throws Exception {
        ApiSettings settings = ApiSettings.fromEnv(envFor("api"));
        JsonSerde<Alert> serde = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
        Instant window = Instant.parse("2026-11-27T19:00:00Z");
        Alert alert = new Alert(Alert.idFor(AlertRule.values()[0], "pk_acl", window), AlertRule.values()[0],
                Severity.HIGH, "pk_acl", window, window.plusSeconds(60), window.plusSeconds(61),
                window.plusSeconds(62), 10, 5, null, "test", Map.of());
        List<Alert> received = new CopyOnWriteArrayList<>();
        try (AlertConsumer consumer = AlertConsumer.create(settings.kafkaBootstrap(), settings.kafkaClients(),
                settings.consumerGroup(), TOPICS.alerts(), TOPICS.alertsDlq(), serde, received::addAll, () -> { },
                new IntakeStatus(Clock.systemUTC()), SIGNATURES)) {
            consumer.start();
            try (KafkaProducer<String, byte[]> streams = producer("streams")) {
                streams.send(signed(TOPICS.alerts(), alert.keyId(), serde.toBytes(alert)))
                        .get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> !received.isEmpty());
            assertThat(received).containsExactly(alert);
            assertThat(consumer.stoppedBecause()).isEmpty();
        }
        assertThat(settings.toString()).doesNotContain("api-secret");
    }

    @Test
    void theApiServiceRunsUnderItsPrincipalAndTheCacheSeesWhatItPublishes() throws Exception {
        String token = "acl-test-admin-token-0123456789";
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDir.resolve("postgres"), 0)) {
            Map<String, String> env = envFor("api");
            env.put("KEYWATCH_DB_URL", postgres.jdbcUrl());
            env.put("KEYWATCH_DB_USER", postgres.user());
            env.put("KEYWATCH_DB_PASSWORD", postgres.password());
            env.put("KEYWATCH_HTTP_PORT", "0");
            env.put("KEYWATCH_ADMIN_TOKEN", token);
            env.put(SecretKeys.VAR, SecretKeys.random("acl-test").toEnvValue());
            // starts only if it may see its topics, write key states and read alerts in its group
            try (AlertsApiService api = new AlertsApiService(ApiSettings.fromEnv(env)).start();
                 KeyStatusCache cache = KeyStatusCache.start(KeyStatusCacheSettings.fromEnv(envFor("cache")))) {
                HttpResponse<String> registered = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + api.port() + "/api/v1/keys/pk_registered"))
                        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"owner\":\"team-a\",\"autoRevoke\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
                // the key state the API published under its principal, read by the cache under its own
                await().atMost(Duration.ofSeconds(30)).until(() -> cache.state("pk_registered").isPresent());
                // its health check's Admin client reaches Kafka under the same principal
                HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + api.port() + "/health"))
                        .header("Authorization", "Bearer " + token).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(health.body()).contains("\"kafka\":{\"status\":\"UP\"");
                // its key-scopes consumer reads in its own group under the same principal (written here as admin:
                // the topology's principal writes it in production)
                LocalDate today = LocalDate.now(ZoneOffset.UTC);
                byte[] usage = new JsonSerde<>(KeyScopeUsage.class).toBytes(new KeyScopeUsage("pk_registered",
                        today.minusDays(40), Map.of("invoices:read", today), false));
                try (KafkaProducer<String, byte[]> writer = producer(KafkaSasl.ADMIN)) {
                    writer.send(signed(TOPICS.keyScopes(), "pk_registered", usage)).get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> api.keyScopeStatus().storedRecords() == 1);
            }
        }
    }

    @Test
    void theKeyStatusCacheReadsKeyStateUnderItsPrincipal() throws Exception {
        KeyStatusCacheSettings settings = KeyStatusCacheSettings.fromEnv(envFor("cache"));
        JsonSerde<KeyState> serde = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
        KeyState revoked = new KeyState("pk_cache", KeyStatus.REVOKED, Instant.parse("2026-11-27T19:00:00Z"),
                "test", "api:admin");
        try (KafkaProducer<String, byte[]> api = producer("api")) {
            api.send(signed(TOPICS.keyState(), revoked.keyId(), serde.toBytes(revoked)))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KeyStatusCache cache = KeyStatusCache.start(settings)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> cache.isRevoked("pk_cache"));
        }
        assertThat(settings.toString()).doesNotContain("cache-secret");
    }

    @Test
    void theStreamsServiceRunsUnderItsPrincipal() throws Exception {
        Map<String, String> env = envFor("streams");
        env.put("KEYWATCH_TOPIC_PARTITIONS", "3");
        StreamsSettings settings = StreamsSettings.fromEnv(env).withStateDir(dataDir.resolve("streams-state"));
        try (KeywatchStreamsService service = new KeywatchStreamsService(settings)) {
            service.start();
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            try (KafkaProducer<String, byte[]> publisher = producer("publisher")) {
                publisher.send(new ProducerRecord<>(TOPICS.usageEvents(), "pk_streams",
                        "not json".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            }
            // dead-lettered in a transaction: reading it back proves the read, the write and the transaction; read
            // as `keywatch dlq` does, configured through the environment (here as the admin)
            DeadLetterReader reader = new DeadLetterReader(kafka.bootstrapServers(),
                    KafkaClientConfig.fromEnv(envFor(KafkaSasl.ADMIN), "KEYWATCH_DLQ_KAFKA_CONFIG_"),
                    Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                List<String> keys = new ArrayList<>();
                reader.forEach(TOPICS.usageEventsDlq(), r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
                return keys.contains("pk_streams");
            });
            // a registered key's scope use is published on the key-scopes topic, which streams may write
            KeyState registered = new KeyState("pk_scoped", KeyStatus.ACTIVE, Instant.parse("2026-11-27T19:00:00Z"),
                    "registered", "api:admin", new KeyMetadata("team-a", "billing", List.of("orders:read"), null,
                    null, null, null, null, null, null));
            try (KafkaProducer<String, byte[]> api = producer("api")) {
                api.send(signed(TOPICS.keyState(), registered.keyId(),
                        new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class).toBytes(registered)))
                        .get(30, TimeUnit.SECONDS);
            }
            AtomicLong sent = new AtomicLong();
            try (KafkaProducer<String, byte[]> publisher = producer("publisher")) {
                // sent until one arrives after the global key-state store has the registration
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    String event = "{\"eventId\":\"scoped-" + sent.incrementAndGet() + "\",\"keyId\":\"pk_scoped\","
                            + "\"timestamp\":\"" + Instant.now() + "\",\"service\":\"billing\",\"authResult\":\"OK\","
                            + "\"status\":200,\"scope\":\"orders:read\"}";
                    publisher.send(new ProducerRecord<>(TOPICS.usageEvents(), "pk_scoped",
                            event.getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
                    List<String> keys = new ArrayList<>();
                    reader.forEach(TOPICS.keyScopes(), r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
                    return keys.contains("pk_scoped");
                });
            }
        }
    }

    /** A producer logged in as {@code user} with nothing but its SASL settings. */
    private static KafkaProducer<String, byte[]> producer(String user) {
        Map<String, Object> props = new HashMap<>(SASL.clientSettings(user));
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
