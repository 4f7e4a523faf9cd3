package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.embedded.EmbeddedKafkaBroker;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dead-lettering exception handlers against a real broker with exactly-once: the record the handler returns is
 * committed to the dead-letter topic with keywatch's headers, and the service counts it.
 */
class DeadLetterHandlersIntegrationTest {

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
    void anUnreadableInternalRecordReachesTheDeadLetterTopicAndIsCounted() throws Exception {
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of(
                "KEYWATCH_KAFKA_BOOTSTRAP", broker.bootstrapServers(),
                "KEYWATCH_TOPIC_PARTITIONS", "1")).withStateDir(dir.resolve("state"));
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
