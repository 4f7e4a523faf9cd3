package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dead-lettering against a real broker with exactly-once: the record the deserialization handler returns is committed
 * to the dead-letter topic with keywatch's headers and counted; a record at the broker's size limit, which keywatch's
 * headers would push past what the producer may send (failing the transaction, forever), is dead-lettered without
 * its bulk. Before the bounds the stream thread died on it again and again, and nothing after it was processed.
 */
class DeadLetterHandlersIntegrationTest {

    @TempDir
    static Path dir;

    @RegisterExtension
    static final RealBroker broker = new RealBroker();

    @Test
    void anUnreadableInternalRecordReachesTheDeadLetterTopicAndIsCounted() throws Exception {
        StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_TOPIC_PARTITIONS", "1"))).withStateDir(dir.resolve("state"))
                .withRecordSigningKeys(TopologyFixture.SIGNING_KEYS);
        String rekeyTopic = settings.applicationId() + "-" + KeywatchTopology.REKEY_TOPIC + "-repartition";
        byte[] unreadable = "{\"not\":\"an event\"}".getBytes(StandardCharsets.UTF_8);

        try (KeywatchStreamsService service = new KeywatchStreamsService(settings)) {
            service.start();
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            try (KafkaProducer<String, byte[]> producer =
                         new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(rekeyTopic, "key-a", unreadable)).get();
            }

            List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(settings.topics().usageEventsDlq(), 1);
            assertThat(dead.get(0).value()).isEqualTo(unreadable);
            assertThat(header(dead.get(0), DeadLetter.REASON_CODE_HEADER)).isEqualTo("deserialization-error");
            assertThat(header(dead.get(0), DeadLetter.ORIGIN_HEADER)).isEqualTo(rekeyTopic + "-0@0");
            assertThat(service.deadLetterCounts().count(RejectCode.DESERIALIZATION_ERROR)).isEqualTo(1);
        }
    }

    @Test
    void aRecordTooLargeToDeadLetterAsItIsIsDeadLetteredWithoutItsBulkAndDoesNotStallThePipeline() throws Exception {
        StreamsSettings settings = StreamsSettings.fromEnv(TestStores.env(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_STREAMS_APPLICATION_ID", "keywatch-too-large",
                "KEYWATCH_TOPIC_USAGE_EVENTS", "too-large.usage-events",
                "KEYWATCH_TOPIC_USAGE_EVENTS_DLQ", "too-large.usage-events.dlq",
                "KEYWATCH_TOPIC_PARTITIONS", "1"))).withStateDir(dir.resolve("state-too-large"))
                .withRecordSigningKeys(TopologyFixture.SIGNING_KEYS);
        // as large as the broker takes: the dead-letter headers push it past what a producer may send
        byte[] huge = new byte[1_048_400];
        java.util.Arrays.fill(huge, (byte) 'x');
        String valid = "{\"eventId\":\"e1\",\"keyId\":\"key-a\",\"timestamp\":\"" + java.time.Instant.now()
                + "\",\"service\":\"billing\",\"authResult\":\"OK\"}";

        try (KeywatchStreamsService service = new KeywatchStreamsService(settings)) {
            service.start();
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2_000_000);
            try (KafkaProducer<String, byte[]> producer =
                         new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(settings.topics().usageEvents(), "key-a", huge)).get();
                producer.send(new ProducerRecord<>(settings.topics().usageEvents(), "k".repeat(1_048_000),
                        "not json".getBytes(StandardCharsets.UTF_8))).get();
                producer.send(new ProducerRecord<>(settings.topics().usageEvents(), "key-a",
                        valid.getBytes(StandardCharsets.UTF_8))).get();
            }

            // the huge value and the huge key are left out of their dead-letter records; the next record is counted
            List<ConsumerRecord<String, byte[]>> dead = readDeadLetters(settings.topics().usageEventsDlq(), 2);
            assertThat(header(dead.get(0), DeadLetter.REASON_CODE_HEADER)).isEqualTo("too-large");
            assertThat(header(dead.get(0), DeadLetter.REASON_HEADER))
                    .isEqualTo("record value of 1048400 bytes is larger than 65536 bytes"
                            + " (value of 1048400 bytes left out)");
            assertThat(dead.get(0).key()).isEqualTo("key-a");
            assertThat(dead.get(0).value()).isNull();
            assertThat(header(dead.get(1), DeadLetter.REASON_CODE_HEADER)).isEqualTo("invalid-json");
            assertThat(header(dead.get(1), DeadLetter.REASON_HEADER))
                    .endsWith(" (record key of 1048000 characters left out)");
            assertThat(dead.get(1).key()).isNull();
            assertThat(dead.get(1).value()).isEqualTo("not json".getBytes(StandardCharsets.UTF_8));
            java.time.Instant minute = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            await("the next record counted").atMost(Duration.ofSeconds(60))
                    .ignoreExceptionsInstanceOf(IllegalStateException.class)
                    .untilAsserted(() -> assertThat(service.recentUsage("key-a", minute.minusSeconds(60), minute))
                            .isNotEmpty());
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readDeadLetters(String topic, int count) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            await("dead-lettered records").atMost(Duration.ofSeconds(60)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
        }
        return records;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
