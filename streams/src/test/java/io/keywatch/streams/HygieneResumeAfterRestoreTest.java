package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.detect.KeyHygieneScan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hygiene pass against a real broker: an instance that starts with an empty state directory, restored from the
 * changelogs, goes on with the pass after the last step its predecessor committed, rather than starting it over.
 */
class HygieneResumeAfterRestoreTest {

    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final JsonSerde<KeyState> KEY_STATES = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
    private static final JsonSerde<Alert> ALERTS = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);
    private static final int KEYS = 5_000;
    /** Registry keys a hygiene step looks at ({@code KeyHygieneScan.KEYS_PER_STEP}). */
    private static final int STEP_KEYS = 2_000;

    @TempDir
    static Path dir;

    @RegisterExtension
    static final RealBroker broker = new RealBroker();

    @Test
    void aRestoredInstanceGoesOnWithThePassAfterTheLastCommittedStep() throws Exception {
        StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_TOPIC_PARTITIONS", "1",
                // the second instance (another state dir, so another instance id) joins after the first left
                "KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS", "6"))).withRecordSigningKeys(TopologyFixture.SIGNING_KEYS);
        new TopicProvisioner(broker.bootstrapServers(), Duration.ofSeconds(30)).ensure(settings.topics(), 1, (short) 1);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(60);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < KEYS; i++) {
                String keyId = "key-%05d".formatted(i);
                KeyMetadata expiringSoon = new KeyMetadata("team", "billing", null, null, t0.plus(Duration.ofDays(5)),
                        null, null, null, null, null);
                byte[] value = KEY_STATES.toBytes(
                        new KeyState(keyId, KeyStatus.ACTIVE, t0, "registered", "api:admin", expiringSoon));
                RecordHeaders headers = new RecordHeaders();
                TopologyFixture.SIGNATURES.sign(settings.topics().keyState(), keyId.getBytes(StandardCharsets.UTF_8),
                        value, headers);
                producer.send(new ProducerRecord<>(settings.topics().keyState(), null, t0.toEpochMilli(), keyId, value,
                        headers));
            }
        }

        try (KeywatchStreamsService first = new KeywatchStreamsService(settings.withStateDir(dir.resolve("state-1")))) {
            first.start();
            assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
            tick(settings, t0);
            assertThat(expiring(settings, STEP_KEYS)).as("the pass's first step")
                    .hasSize(STEP_KEYS).startsWith("key-00000").endsWith("key-01999");
        }

        try (KeywatchStreamsService second = new KeywatchStreamsService(settings.withStateDir(dir.resolve("state-2")))) {
            second.start();
            assertThat(second.awaitRunning(Duration.ofSeconds(60))).isTrue();
            tick(settings, t0.plus(KeyHygieneScan.STEP_INTERVAL));
            // the restored task runs two steps on this record: the one due at its restored stream time (t0) and the
            // one at t0 + 10 s. Resumed, they report key-02000 to key-04999; a pass started over would spend the
            // first on the keys already reported (de-duplicated, no alerts) and stop at key-03999.
            List<String> all = expiring(settings, KEYS);
            assertThat(all).as("every key once: the pass went on after the last committed step").doesNotHaveDuplicates()
                    .hasSize(KEYS).endsWith("key-04999");
        }
    }

    /** An event that moves the task's stream time (its key is unknown: it raises nothing of interest here). */
    private static void tick(StreamsSettings settings, Instant at) {
        UsageEvent event = UsageEvent.of("evt-" + at.toEpochMilli(), "clock", at, "billing", AuthResult.OK)
                .withRequest("GET", "/v1/invoices", 200).withClient("10.0.0.1", "DE", "curl/8");
        try (KafkaProducer<String, byte[]> producer = producer()) {
            // the record's own timestamp is what moves the task's stream time, and so its punctuations
            producer.send(new ProducerRecord<>(settings.topics().usageEvents(), null, at.toEpochMilli(),
                    event.keyId(), EVENTS.toBytes(event)));
        }
    }

    /** The key ids of the committed KEY_EXPIRING alerts, in order, once there are {@code expected} (60 s at most). */
    private static List<String> expiring(StreamsSettings settings, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> keyIds = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition alerts = new TopicPartition(settings.topics().alerts(), 0);
            consumer.assign(List.of(alerts));
            consumer.seekToBeginning(List.of(alerts));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (keyIds.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Alert alert = ALERTS.fromBytes(record.value());
                    if (alert.rule() == AlertRule.KEY_EXPIRING) {
                        keyIds.add(alert.keyId());
                    }
                }
            }
            // anything more (a step redone) would show within a few polls
            long settle = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < settle) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Alert alert = ALERTS.fromBytes(record.value());
                    if (alert.rule() == AlertRule.KEY_EXPIRING) {
                        keyIds.add(alert.keyId());
                    }
                }
            }
        }
        return keyIds;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
