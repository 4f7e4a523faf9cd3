package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detection stores against a real broker: what they hold as objects reaches their changelogs at commit, and an
 * instance that starts with an empty state directory gets it all back from there.
 */
class ChangelogRestoreTest {

    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final RealBroker broker = new RealBroker();

    @Test
    void aFreshInstanceRestoresTheMinuteAggregatesFromTheChangelogs() throws Exception {
        StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_TOPIC_PARTITIONS", "1",
                // fewer objects than keys: some values reach the changelog by eviction, the rest at commit
                "KEYWATCH_STREAMS_HOT_KEYS", "2",
                // the second instance (another state dir, so another instance id) joins after the first left
                "KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS", "6"))).withRecordSigningKeys(TopologyFixture.SIGNING_KEYS);
        new TopicProvisioner(broker.bootstrapServers(), Duration.ofSeconds(30)).ensure(settings.topics(), 1, (short) 1);
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Map<String, Integer> requests = Map.of("key-a", 5, "key-b", 3, "key-c", 2, "key-d", 1);

        try (KeywatchStreamsService first = new KeywatchStreamsService(settings.withStateDir(dir.resolve("state-1")))) {
            first.start();
            assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publish(settings, minute, requests);
            awaitRequests(first, minute, requests);
        }

        try (KeywatchStreamsService second = new KeywatchStreamsService(settings.withStateDir(dir.resolve("state-2")))) {
            second.start();
            assertThat(second.awaitRunning(Duration.ofSeconds(60))).isTrue();
            awaitRequests(second, minute, requests);
        }

        // the write-back stores keep Kafka Streams' changelog policies: windows expire, profiles are compacted
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            String prefix = settings.applicationId() + "-";
            Config usage = topicConfig(admin, prefix + KeywatchTopology.USAGE_STORE + "-changelog");
            Config profile = topicConfig(admin, prefix + KeywatchTopology.PROFILE_STORE + "-changelog");
            assertThat(usage.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact,delete");
            assertThat(Long.parseLong(usage.get(TopicConfig.RETENTION_MS_CONFIG).value()))
                    .isEqualTo(settings.usageRetention().plus(Duration.ofDays(1)).toMillis());
            assertThat(profile.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
            // the hygiene scan's position is restored with the rest, so a restarted task resumes its pass
            Config cursor = topicConfig(admin, prefix + KeywatchTopology.HYGIENE_CURSOR_STORE + "-changelog");
            assertThat(cursor.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("compact");
        }
    }

    private static void publish(StreamsSettings settings, Instant minute, Map<String, Integer> requests) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            int id = 0;
            for (int round = 0; round < 5; round++) {
                for (Map.Entry<String, Integer> key : requests.entrySet()) {
                    if (round < key.getValue()) {
                        UsageEvent event = UsageEvent.of("evt-" + id++, key.getKey(), minute.plusSeconds(round),
                                        "billing", AuthResult.OK)
                                .withRequest("GET", "/v1/invoices", 200)
                                .withClient("10.0.0.1", "DE", "curl/8");
                        producer.send(new ProducerRecord<>(settings.topics().usageEvents(), event.keyId(),
                                EVENTS.toBytes(event)));
                    }
                }
            }
        }
    }

    private static void awaitRequests(KeywatchStreamsService service, Instant minute, Map<String, Integer> requests) {
        await("per-minute requests of every key").atMost(Duration.ofSeconds(60))
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .untilAsserted(() -> requests.forEach((keyId, count) -> {
                    List<MinuteUsage> usage = service.recentUsage(keyId, minute, minute);
                    assertThat(usage).as(keyId).singleElement().extracting(MinuteUsage::requests)
                            .isEqualTo((long) count);
                }));
    }

    private static Config topicConfig(Admin admin, String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource);
    }
}
