package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.TopicProvisioner;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restarts against a real broker with the default 45 s session timeout: a restarted instance, and the instances that
 * stay when one stops, process again well before that session would have run out. (A SIGKILL cannot be done in
 * process; {@code keywatch-tools restarts} measures it.)
 */
class RestartWithoutBlackoutTest {

    /** Far below the 45 s session timeout the group would otherwise wait out, far above a rejoin (a few seconds). */
    private static final Duration WELL_BEFORE_THE_SESSION_RUNS_OUT = Duration.ofSeconds(25);
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final List<String> KEYS = List.of("key-a", "key-b", "key-c", "key-d", "key-e", "key-f");

    @TempDir
    static Path dir;

    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anInstanceThatComesBackWithoutHavingLeftTakesItsPartitionsBackAtOnce() throws Exception {
        // not leaving on close is what the group sees of a SIGKILL: the member stays until its session runs out
        StreamsSettings settings = settings("restart-app", Map.of("KEYWATCH_STREAMS_LEAVE_GROUP_ON_CLOSE", "false"))
                .withStateDir(dir.resolve("restart-state"));
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (KeywatchStreamsService first = new KeywatchStreamsService(settings)) {
            first.start();
            assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
            publish(settings, minute, KEYS);
            awaitRequests(first, minute, KEYS, 1, Duration.ofSeconds(60));
        }

        try (KeywatchStreamsService again = new KeywatchStreamsService(settings)) {
            long started = System.nanoTime();
            again.start();
            publish(settings, minute, KEYS);
            awaitRequests(again, minute, KEYS, 2, WELL_BEFORE_THE_SESSION_RUNS_OUT);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(WELL_BEFORE_THE_SESSION_RUNS_OUT);
            assertThat(again.settings().membership().instanceId())
                    .isEqualTo(instanceIdIn(dir.resolve("restart-state")));
        }
    }

    @Test
    void whenAnInstanceStopsTheOtherTakesAllPartitionsWithoutWaitingOutItsSession() throws Exception {
        StreamsSettings settings = settings("handover-app", Map.of());
        Instant minute = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        try (KeywatchStreamsService stays = new KeywatchStreamsService(settings.withStateDir(dir.resolve("stays")))) {
            try (KeywatchStreamsService leaves =
                         new KeywatchStreamsService(settings.withStateDir(dir.resolve("leaves")))) {
                stays.start();
                leaves.start();
                await("both instances own partitions").atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                        assertThat(membersWithPartitions(settings.applicationId())).hasSize(2));
                assertThat(stays.awaitRunning(Duration.ofSeconds(60))).isTrue();
            }
            long stopped = System.nanoTime();
            await("the instance that stayed alone in the group").atMost(WELL_BEFORE_THE_SESSION_RUNS_OUT)
                    .untilAsserted(() -> assertThat(membersWithPartitions(settings.applicationId())).singleElement()
                            .satisfies(member -> assertThat(member.assignment().topicPartitions()
                                    .stream().filter(tp -> tp.topic().equals(settings.topics().usageEvents())))
                                    .hasSize(settings.partitions())));
            publish(settings, minute, KEYS);
            awaitRequests(stays, minute, KEYS, 1, WELL_BEFORE_THE_SESSION_RUNS_OUT);
            assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isLessThan(WELL_BEFORE_THE_SESSION_RUNS_OUT);
        }
    }

    @Test
    void anInstanceFencedByAnotherWithItsIdStopsInsteadOfFencingItBack() throws Exception {
        StreamsSettings settings = settings("shared-id-app", Map.of("KEYWATCH_STREAMS_INSTANCE_ID", "copied-id"));
        try (KeywatchStreamsService first = new KeywatchStreamsService(settings.withStateDir(dir.resolve("first")));
             KeywatchStreamsService second = new KeywatchStreamsService(settings.withStateDir(dir.resolve("second")))) {
            first.start();
            assertThat(first.awaitRunning(Duration.ofSeconds(60))).isTrue();
            second.start();
            // replacing the fenced thread would fence the other in turn, and so on: one must stop, saying why
            await("one of the two stopped").atMost(Duration.ofSeconds(60)).until(() ->
                    stoppedForGood(first) || stoppedForGood(second));
        }
    }

    private static boolean stoppedForGood(KeywatchStreamsService service) {
        KafkaStreams.State state = service.state();
        return state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN;
    }

    private static StreamsSettings settings(String applicationId, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_STREAMS_APPLICATION_ID", applicationId,
                "KEYWATCH_TOPIC_USAGE_EVENTS", applicationId + ".usage-events",
                "KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", applicationId + ".usage-events.dlq",
                "KEYWATCH_TOPIC_ALERTS", applicationId + ".alerts",
                "KEYWATCH_TOPIC_KEY_STATE", applicationId + ".key-state",
                // Kafka's default, said here because the test is about not waiting it out
                "KEYWATCH_STREAMS_SESSION_TIMEOUT_SECONDS", "45"));
        env.putAll(extra);
        StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(env)).withRecordSigningKeys(TopologyFixture.SIGNING_KEYS);
        new TopicProvisioner(broker.bootstrapServers(), Duration.ofSeconds(30))
                .ensure(settings.topics(), settings.partitions(), (short) 1);
        return settings;
    }

    private static List<MemberDescription> membersWithPartitions(String group) throws Exception {
        try (Admin admin =
                     Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return description.members().stream()
                    .filter(member -> !member.assignment().topicPartitions().isEmpty()).toList();
        }
    }

    /** One event per key: with six keys over three partitions, each partition gets some. */
    private static void publish(StreamsSettings settings, Instant minute, List<String> keys) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (String keyId : keys) {
                UsageEvent event = UsageEvent.of("evt-" + UUID.randomUUID(), keyId, minute.plusSeconds(1), "billing",
                                AuthResult.OK)
                        .withRequest("GET", "/v1/invoices", 200)
                        .withClient("10.0.0.1", "DE", "curl/8");
                producer.send(new ProducerRecord<>(settings.topics().usageEvents(), keyId, EVENTS.toBytes(event)));
            }
        }
    }

    private static void awaitRequests(KeywatchStreamsService service, Instant minute, List<String> keys, long count,
                                      Duration atMost) {
        await("per-minute requests of every key").atMost(atMost)
                .ignoreExceptionsInstanceOf(IllegalStateException.class)
                .untilAsserted(() -> keys.forEach(keyId -> assertThat(service.recentUsage(keyId, minute, minute))
                        .as(keyId).singleElement().extracting(MinuteUsage::requests).isEqualTo(count)));
    }

    private static String instanceIdIn(Path stateDir) throws Exception {
        return Files.readString(stateDir.resolve(GroupMembership.INSTANCE_ID_FILE)).strip();
    }
}
