package io.keywatch.client.keystatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real embedded Kafka broker, started once for the class; every test uses its own topic. */
class KeyStatusCacheTest {

    private static final AtomicInteger TOPIC_SEQUENCE = new AtomicInteger();
    private static final JsonSerde<KeyState> SERDE = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
    private static final Instant T0 = Instant.parse("2026-11-27T19:00:00Z");

    @TempDir
    static Path dataDir;
    private static EmbeddedKafkaBroker kafka;
    private static KafkaProducer<String, byte[]> producer;
    private static final RecordSigningKeys SIGNING_KEYS = RecordSigningKeys.random("cache-test");
    private static final RecordSignatures SIGNATURES = new RecordSignatures(SIGNING_KEYS);

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafkaBroker.start(dataDir, 0);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopKafka() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private static String freshTopic() {
        String prefix = "kscache" + TOPIC_SEQUENCE.incrementAndGet();
        Topics topics = new Topics(prefix + ".usage-events", prefix + ".dlq", prefix + ".alerts", prefix + ".key-state");
        new TopicProvisioner(kafka.bootstrapServers(), Duration.ofSeconds(30)).ensure(topics, 3, (short) 1);
        return topics.keyState();
    }

    private static KeyStatusCache startCache(String topic) {
        return startCache(topic, null);
    }

    private static KeyStatusCache startCache(String topic, KeyStatusListener listener) {
        KeyStatusCacheSettings settings = KeyStatusCacheSettings.of(kafka.bootstrapServers()).withTopic(topic)
                .withRecordSigningKeys(SIGNING_KEYS);
        return KeyStatusCache.start(settings, listener);
    }

    /** Sends the record signed as keywatch's API signs it. */
    private static void send(String topic, String key, byte[] value) throws Exception {
        sendWithHeaders(topic, key, value, SIGNATURES.sign(topic,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, new RecordHeaders()));
    }

    private static ProducerRecord<String, byte[]> signed(String topic, KeyState state) {
        byte[] value = SERDE.toBytes(state);
        return new ProducerRecord<>(topic, null, state.keyId(), value, SIGNATURES.sign(topic,
                state.keyId().getBytes(StandardCharsets.UTF_8), value, new RecordHeaders()));
    }

    private static void sendWithHeaders(String topic, String key, byte[] value, Headers headers) throws Exception {
        producer.send(new ProducerRecord<>(topic, null, key, value, headers)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void unsignedOrForgedKeyStatesAreSkippedAndCounted() throws Exception {
        String topic = freshTopic();
        try (KeyStatusCache cache = startCache(topic)) {
            send(topic, revoked("pk_sig_1"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_sig_1"));
            byte[] reinstate = SERDE.toBytes(new KeyState("pk_sig_1", KeyStatus.ACTIVE, T0.plusSeconds(60), "forged",
                    "x"));
            // a plain producer
            sendWithHeaders(topic, "pk_sig_1", reinstate, new RecordHeaders());
            // an unsigned tombstone
            sendWithHeaders(topic, "pk_sig_1", null, new RecordHeaders());
            // a genuine signature of another key's record, replayed
            sendWithHeaders(topic, "pk_sig_1", reinstate, SIGNATURES.sign(topic,
                    "pk_sig_2".getBytes(StandardCharsets.UTF_8), reinstate, new RecordHeaders()));
            // a key that is not listed
            sendWithHeaders(topic, "pk_sig_1", reinstate, new RecordSignatures(RecordSigningKeys.random("cache-test"))
                    .sign(topic, "pk_sig_1".getBytes(StandardCharsets.UTF_8), reinstate, new RecordHeaders()));
            // then a genuine record behind them still applies
            send(topic, revoked("pk_sig_3"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_sig_3"));

            assertThat(cache.isRevoked("pk_sig_1")).isTrue();
            assertThat(cache.skipped()).isEqualTo(4);
        }
    }

    @Test
    void aKeyStateSignedByARetiredButListedKeyApplies() throws Exception {
        String topic = freshTopic();
        RecordSigningKeys rotated = SIGNING_KEYS.rotatedTo(RecordSigningKeys.random("cache-next"));
        KeyStatusCacheSettings settings = KeyStatusCacheSettings.of(kafka.bootstrapServers()).withTopic(topic)
                .withRecordSigningKeys(rotated);
        try (KeyStatusCache cache = KeyStatusCache.start(settings)) {
            send(topic, revoked("pk_sig_4")); // signed by cache-test, now the second key
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_sig_4"));
        }
    }

    @Test
    void theCacheRefusesToStartWithoutKeys() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyStatusCache.start(
                        KeyStatusCacheSettings.of(kafka.bootstrapServers())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(RecordSigningKeys.VAR);
    }

    private static void send(String topic, KeyState state) throws Exception {
        send(topic, state.keyId(), SERDE.toBytes(state));
    }

    private static KeyState revoked(String keyId) {
        return new KeyState(keyId, KeyStatus.REVOKED, T0, "automatic: LEAKED_KEY alert a1", "policy:LEAKED_KEY");
    }

    private static KeyState active(String keyId) {
        return new KeyState(keyId, KeyStatus.ACTIVE, T0.plusSeconds(60), "false positive", "api:admin");
    }

    @Test
    void aRevocationIsSeenWithinASecond() throws Exception {
        String topic = freshTopic();
        try (KeyStatusCache cache = startCache(topic)) {
            assertThat(cache.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();
            assertThat(cache.isRevoked("pk_live_1")).isFalse();

            send(topic, revoked("pk_live_1"));

            await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
                    .until(() -> cache.isRevoked("pk_live_1"));
            assertThat(cache.state("pk_live_1")).contains(revoked("pk_live_1"));
            assertThat(cache.isRevoked("pk_live_other")).isFalse();
        }
    }

    @Test
    void reinstatementClearsTheRevocation() throws Exception {
        String topic = freshTopic();
        try (KeyStatusCache cache = startCache(topic)) {
            send(topic, revoked("pk_live_2"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_live_2"));

            send(topic, active("pk_live_2"));

            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.isRevoked("pk_live_2"));
            assertThat(cache.state("pk_live_2")).map(KeyState::status).contains(KeyStatus.ACTIVE);
        }
    }

    @Test
    void aTombstoneRemovesTheKey() throws Exception {
        String topic = freshTopic();
        try (KeyStatusCache cache = startCache(topic)) {
            send(topic, revoked("pk_live_3"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_live_3"));

            send(topic, "pk_live_3", null);

            await().atMost(Duration.ofSeconds(10)).until(() -> cache.state("pk_live_3").isEmpty());
            assertThat(cache.isRevoked("pk_live_3")).isFalse();
            assertThat(cache.size()).isZero();
        }
    }

    @Test
    void malformedValuesAreSkippedAndLaterStatesStillApply() throws Exception {
        String topic = freshTopic();
        try (KeyStatusCache cache = startCache(topic)) {
            send(topic, "pk_live_4", "{not json".getBytes(StandardCharsets.UTF_8));
            send(topic, "pk_live_4", "{\"keyId\":\"pk_live_4\"}".getBytes(StandardCharsets.UTF_8)); // no status
            send(topic, "pk_live_4", SERDE.toBytes(revoked("pk_live_5"))); // another key's state under this key
            send(topic, revoked("pk_live_4"));

            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_live_4"));
            assertThat(cache.skipped()).isEqualTo(3);
            assertThat(cache.state("pk_live_5")).isEmpty();
        }
    }

    @Test
    void forgedRecordsAreSkippedAndCountedAndEveryValidRecordAfterThemApplies() throws Exception {
        String topic = freshTopic();
        String state = "\"status\":\"REVOKED\",\"changedAt\":\"2026-11-27T19:00:00Z\"";
        try (KeyStatusCache cache = startCache(topic)) {
            List<String> forgedKeys = List.of("pk_f1", "pk_f2", "pk_f3", "pk_f4", "pk_f5", "pk_f6", "pk_f7");
            // (a record without a key cannot reach it: the broker refuses one on a compacted topic)
            send(topic, "pk_f1", "null".getBytes(StandardCharsets.UTF_8));                    // JSON null
            send(topic, "pk_f2", new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});                // not JSON, not UTF-8
            send(topic, "pk_f3", ("{\"keyId\":[\"pk_f3\"]," + state + "}").getBytes(StandardCharsets.UTF_8));
            send(topic, "pk_f4", ("{\"keyId\":\"pk_f4\",\"status\":\"REVOKED\",\"changedAt\":true}")
                    .getBytes(StandardCharsets.UTF_8));                                        // wrong types
            send(topic, "pk_f5\u0000", SERDE.toBytes(revoked("pk_f5\u0000")));                 // NUL in the key
            send(topic, "pk_f6", ("[" + "[".repeat(999_990) + "]").getBytes(StandardCharsets.UTF_8)); // ~1 MB
            send(topic, "pk_f7", SERDE.toBytes(revoked("pk_other")));                        // another key's state
            send(topic, "pk_f8\u2028", SERDE.toBytes(revoked("pk_f8\u2028")));  // no key id, yet no control char
            // and after them, valid ones: a NUL in a free-text field is data, not a reason to drop a revocation
            send(topic, revoked("pk_ok1"));
            send(topic, new KeyState("pk_ok2", KeyStatus.REVOKED, T0, "reason with \u0000", "api:admin"));

            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_ok1") && cache.isRevoked("pk_ok2"));
            assertThat(cache.skipped()).isEqualTo(8);
            for (String key : forgedKeys) {
                assertThat(cache.state(key)).as(key).isEmpty();
            }
            assertThat(cache.state("pk_other")).isEmpty();
            assertThat(cache.state("pk_f5\u0000")).isEmpty();
            assertThat(cache.state("pk_f8\u2028")).as("the key-id rule, not just control characters").isEmpty();
        }
    }

    @Test
    void aCacheStartedAfterTheFactCatchesUpFromTheBeginning() throws Exception {
        String topic = freshTopic();
        for (int i = 0; i < 50; i++) {
            send(topic, revoked("pk_old_" + i));
        }
        send(topic, active("pk_old_7"));
        send(topic, "pk_old_8", null);

        try (KeyStatusCache cache = startCache(topic)) {
            assertThat(cache.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

            assertThat(cache.isCaughtUp()).isTrue();
            assertThat(cache.size()).isEqualTo(49);
            assertThat(cache.isRevoked("pk_old_0")).isTrue();
            assertThat(cache.isRevoked("pk_old_49")).isTrue();
            assertThat(cache.isRevoked("pk_old_7")).isFalse();
            assertThat(cache.state("pk_old_8")).isEmpty();
        }
    }

    @Test
    void anAbortedTransactionsStateNeverCounts() throws Exception {
        String topic = freshTopic();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "kscache-test-" + topic);
        try (KeyStatusCache cache = startCache(topic);
             KafkaProducer<String, byte[]> transactional =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional.send(signed(topic, revoked("pk_live_6")));
            transactional.abortTransaction();
            transactional.beginTransaction();
            transactional.send(signed(topic, revoked("pk_live_7")));
            transactional.commitTransaction();

            await().atMost(Duration.ofSeconds(10)).until(() -> cache.isRevoked("pk_live_7"));
            assertThat(cache.isRevoked("pk_live_6")).isFalse();
        }
    }

    @Test
    void listenersHearEveryChangeInOrder() throws Exception {
        String topic = freshTopic();
        List<String> heard = new CopyOnWriteArrayList<>();
        KeyStatusListener listener = (keyId, previous, current) -> heard.add(keyId + ":"
                + (previous == null ? "-" : previous.status()) + "->" + (current == null ? "-" : current.status()));
        try (KeyStatusCache cache = startCache(topic, listener)) {
            cache.addListener((keyId, previous, current) -> {
                throw new IllegalStateException("a broken listener must not stop the cache");
            });
            send(topic, revoked("pk_live_8"));
            send(topic, active("pk_live_8"));
            send(topic, "pk_live_8", null);

            await().atMost(Duration.ofSeconds(10)).until(() -> heard.size() == 3);
            assertThat(heard).containsExactly("pk_live_8:-->REVOKED", "pk_live_8:REVOKED->ACTIVE",
                    "pk_live_8:ACTIVE->-");
        }
    }

    @Test
    void aCacheWaitsForATopicThatDoesNotExistYet() throws Exception {
        String prefix = "kscache-late" + TOPIC_SEQUENCE.incrementAndGet();
        Topics topics = new Topics(prefix + ".u", prefix + ".d", prefix + ".a", prefix + ".key-state");
        try (KeyStatusCache cache = startCache(topics.keyState())) {
            assertThat(cache.awaitCaughtUp(Duration.ofMillis(500))).isFalse();

            new TopicProvisioner(kafka.bootstrapServers(), Duration.ofSeconds(30)).ensure(topics, 1, (short) 1);
            send(topics.keyState(), revoked("pk_live_9"));

            await().atMost(Duration.ofSeconds(20)).until(() -> cache.isRevoked("pk_live_9"));
        }
    }

    @Test
    void closeStopsTheThreadPromptlyAndKeepsTheLastStatesReadable() throws Exception {
        String topic = freshTopic();
        send(topic, revoked("pk_live_10"));
        KeyStatusCache cache = startCache(topic);
        assertThat(cache.awaitCaughtUp(Duration.ofSeconds(30))).isTrue();

        long started = System.nanoTime();
        cache.close();
        cache.close();

        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(6_000);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("keywatch-key-status-cache-" + topic));
        assertThat(cache.isRevoked("pk_live_10")).isTrue();
    }
}
