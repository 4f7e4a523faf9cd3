package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.MinuteUsage;
import io.keywatch.streams.route.KeyPartitioner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One key's events from producers that partition differently — Java's murmur2, librdkafka's CRC32 ({@code
 * consistent}, kcat's and most non-Java clients' default for keyed records), random partitions, and no key at all —
 * are counted by one task: one minute, one alert. Before, records keyed by their key id stayed on whatever partition
 * their producer chose, and a brute-force burst split three ways stayed under the threshold in every task.
 */
class MixedPartitionersIntegrationTest {

    private static final int PARTITIONS = 3;
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final JsonSerde<Alert> ALERTS = new JsonSerde<>(KeywatchJson.newMapper(), Alert.class);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final RealBroker broker = new RealBroker();

    @Test
    void aBurstSplitAcrossPartitionersIsCountedByOneTaskAndDetectedOnce() throws Exception {
        StreamsSettings settings = settings("mixed", PARTITIONS);
        KeyPartitioner murmur2 = new KeyPartitioner(PARTITIONS);
        // keys whose CRC32 partition differs from their murmur2 one: without routing, each burst is split
        List<String> keys = new ArrayList<>();
        for (int i = 0; keys.size() < 10; i++) {
            String candidate = "mixed-key-" + i;
            if (crc32Partition(candidate) != murmur2.partitionOf(candidate)) {
                keys.add(candidate);
            }
        }
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        int perWay = 6;
        Random random = new Random(7);

        try (KeywatchStreamsService service = new KeywatchStreamsService(settings)) {
            service.start();
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            try (KafkaProducer<String, byte[]> producer = producer()) {
                String topic = settings.topics().usageEvents();
                int n = 0;
                for (String keyId : keys) {
                    for (int i = 0; i < perWay; i++) {
                        // Java client: default partitioner (murmur2 of the key)
                        producer.send(new ProducerRecord<>(topic, keyId, failure(keyId, minute, n++)));
                        // librdkafka "consistent": CRC32 of the key
                        producer.send(new ProducerRecord<>(topic, crc32Partition(keyId), keyId,
                                failure(keyId, minute, n++)));
                        // random partition, keyed
                        producer.send(new ProducerRecord<>(topic, random.nextInt(PARTITIONS), keyId,
                                failure(keyId, minute, n++)));
                        // random partition, no key
                        producer.send(new ProducerRecord<>(topic, random.nextInt(PARTITIONS), null,
                                failure(keyId, minute, n++)));
                    }
                }
                producer.flush();
            }

            List<Alert> alerts = readAlerts(settings.topics().alerts(), keys.size());
            Map<String, Integer> bursts = new HashMap<>();
            Map<String, Integer> perRuleAndKey = new HashMap<>();
            for (Alert alert : alerts) {
                perRuleAndKey.merge(alert.rule() + " " + alert.keyId(), 1, Integer::sum);
                if (alert.rule() == AlertRule.AUTH_FAILURE_BURST) {
                    bursts.merge(alert.keyId(), 1, Integer::sum);
                }
            }
            assertThat(bursts).as("every burst detected").containsOnlyKeys(keys);
            // one task per key: no rule (the burst, UNKNOWN_KEY) raised twice for a key by two tasks
            assertThat(perRuleAndKey).allSatisfy((ruleAndKey, count) -> assertThat(count).as(ruleAndKey).isEqualTo(1));
            for (String keyId : keys) {
                await("all of " + keyId + "'s events in one minute").atMost(Duration.ofSeconds(60))
                        .ignoreExceptionsInstanceOf(IllegalStateException.class)
                        .untilAsserted(() -> {
                            List<MinuteUsage> usage = service.recentUsage(keyId, minute, minute);
                            // the stores of all three tasks are on this instance: two tasks, two entries
                            assertThat(usage).hasSize(1);
                            assertThat(usage.get(0).authFailures()).isEqualTo(4 * perWay);
                        });
            }
        }
    }

    @Test
    void routesByThePartitionCountTheBrokerHasNotTheConfiguredOne() throws Exception {
        StreamsSettings settings = settings("resized", 3);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(settings.topics().usageEvents(), 5, (short) 1))).all().get();
        }
        try (KeywatchStreamsService service = new KeywatchStreamsService(settings)) {
            service.start();
            assertThat(service.settings().partitions()).isEqualTo(5);
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            try (KafkaProducer<String, byte[]> producer = producer()) {
                for (int i = 0; i < 20; i++) {
                    producer.send(new ProducerRecord<>(settings.topics().usageEvents(), "resized-key",
                            failure("resized-key", minute, i)));
                }
            }
            assertThat(readAlerts(settings.topics().alerts(), 1)).extracting(Alert::rule)
                    .containsExactlyInAnyOrder(AlertRule.AUTH_FAILURE_BURST, AlertRule.UNKNOWN_KEY);
        }
    }

    private static StreamsSettings settings(String name, int partitions) {
        return StreamsSettings.fromEnv(TestStores.env(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-" + name,
                "KEYWATCH_TOPIC_USAGE_EVENTS", name + ".usage-events",
                "KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", name + ".usage-events.dlq",
                "KEYWATCH_TOPIC_ALERTS", name + ".alerts",
                "KEYWATCH_TOPIC_PARTITIONS", Integer.toString(partitions)))).withRecordSigningKeys(TopologyFixture.SIGNING_KEYS).withStateDir(dir.resolve("state-" + name));
    }

    /** librdkafka's {@code consistent} partitioner: CRC32 of the key bytes, modulo the partition count. */
    private static int crc32Partition(String key) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % PARTITIONS);
    }

    private static byte[] failure(String keyId, Instant minute, int n) {
        UsageEvent event = UsageEvent.of("evt-" + keyId + "-" + n, keyId, minute.plusMillis(n % 1000), "billing",
                        AuthResult.INVALID_SECRET)
                .withRequest("POST", "/v1/login", 401)
                .withClient("198.51.100." + (n % 5), "NL", "hydra");
        return EVENTS.toBytes(event);
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Reads the alerts topic until {@code count} AUTH_FAILURE_BURST alerts came, then a little longer. */
    private static List<Alert> readAlerts(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "alert-reader-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Alert> alerts = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long settleUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    alerts.add(ALERTS.fromBytes(record.value()));
                }
                if (alerts.stream().filter(a -> a.rule() == AlertRule.AUTH_FAILURE_BURST).count() >= count
                        && settleUntil == Long.MAX_VALUE) {
                    // a duplicate would come with the same commit or the next one
                    settleUntil = System.nanoTime() + Duration.ofSeconds(3).toNanos();
                }
            }
        }
        return alerts;
    }
}
