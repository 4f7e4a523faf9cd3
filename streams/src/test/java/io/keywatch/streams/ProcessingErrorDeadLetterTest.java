package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import io.keywatch.events.secrets.FingerprintKey;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.streams.errors.DeadLetterCounts;
import io.keywatch.streams.redact.DeadLetterRedactor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * keywatch's configuration ({@link StreamsSettings#toProperties()}) dead-letters a record that makes a processor
 * throw, and an internal record that cannot be deserialized, instead of dropping it: the record as read, the
 * exception as the reason, and counted.
 */
class ProcessingErrorDeadLetterTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void aRecordThatMakesAProcessorThrowIsDeadLetteredWithTheExceptionAndCounted() {
        StreamsSettings settings = settings();
        StreamsBuilder builder = new StreamsBuilder();
        // a node that throws on one value, as a detector bug or an impossible store state would
        builder.stream(settings.topics().usageEvents(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .mapValues(value -> {
                    if (new String(value, StandardCharsets.UTF_8).equals("boom")) {
                        throw new IllegalStateException("bad state for\nkey \u0000" + "x".repeat(1000));
                    }
                    return value;
                })
                .to("out", Produced.with(Serdes.String(), Serdes.ByteArray()));
        DeadLetterCounts counts = new DeadLetterCounts();
        Properties properties = settings.toProperties();
        properties.put(DeadLetterCounts.CONFIG, counts);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), properties, T0)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(settings.topics().usageEvents(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> out = driver.createOutputTopic("out",
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

            in.pipeInput(new TestRecord<>("key-a", utf8("boom"),
                    new RecordHeaders().add("trace-id", utf8("abc")), T0));
            in.pipeInput("key-a", utf8("fine"), T0.plusSeconds(1));

            TestRecord<String, byte[]> dead = dlq.readRecord();
            assertThat(dead.key()).isEqualTo("key-a");
            assertThat(dead.value()).isEqualTo(utf8("boom"));
            assertThat(header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("processing-error");
            assertThat(header(dead, DeadLetter.REASON_HEADER))
                    .contains("threw java.lang.IllegalStateException: bad state for\\nkey \\u0000xxx")
                    .doesNotContain("\n", "\u0000").hasSizeLessThan(400);
            assertThat(header(dead, DeadLetter.ORIGIN_HEADER)).isEqualTo(settings.topics().usageEvents() + "-0@0");
            assertThat(header(dead, "trace-id")).isEqualTo("abc");
            assertThat(dlq.isEmpty()).isTrue();
            // processing went on with the next record
            assertThat(out.readValuesToList()).containsExactly(utf8("fine"));
            assertThat(counts.snapshot()).isEqualTo(Map.of(RejectCode.PROCESSING_ERROR, 1L));
        }
    }

    @Test
    void aSecretInTheFailingRecordIsFingerprintedInTheDeadLetterAndNotQuotedByTheReason() {
        // a Stripe secret key in Stripe's documented shape, built here so that none is committed
        String secret = "sk_" + "live_" + "Qr7" + "x9Kd2LmPq4RsTv8WyZa1Bc3";
        FingerprintKey key = FingerprintKey.of(new byte[32]);
        String fingerprint = new SecretFingerprinter(key).fingerprint(SecretFormat.STRIPE_SECRET_KEY, secret);
        StreamsSettings settings = settings();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(settings.topics().usageEvents(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .<byte[]>mapValues(value -> {
                    // an exception that quotes the value, as library messages do
                    throw new IllegalStateException("cannot use " + new String(value, StandardCharsets.UTF_8));
                })
                .to("out", Produced.with(Serdes.String(), Serdes.ByteArray()));
        Properties properties = settings.toProperties();
        properties.put(DeadLetterRedactor.CONFIG, key);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), properties, T0)) {
            driver.createInputTopic(settings.topics().usageEvents(), Serdes.String().serializer(),
                    Serdes.ByteArray().serializer()).pipeInput(secret, utf8("{\"keyId\":\"" + secret + "\"}"), T0);
            TestRecord<String, byte[]> dead = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer()).readRecord();

            assertThat(dead.key()).isEqualTo(fingerprint);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"keyId\":\"" + fingerprint + "\"}");
            assertThat(header(dead, DeadLetter.REDACTED_HEADER)).isEqualTo("key,value");
            assertThat(header(dead, DeadLetter.REASON_HEADER)).contains("cannot use")
                    .contains("redacted:stripe-secret-key").doesNotContain("Qr7x9Kd2");
        }
    }

    @Test
    void kafkasOwnFailureFailsTheTaskInsteadOfDeadLetteringAGoodRecord() {
        StreamsSettings settings = settings();
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(settings.topics().usageEvents(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .<byte[]>mapValues(value -> {
                    throw new StreamsException(new KafkaException("Cannot execute transactional method because we "
                            + "are in an error state"));
                })
                .to("out", Produced.with(Serdes.String(), Serdes.ByteArray()));
        DeadLetterCounts counts = new DeadLetterCounts();
        Properties properties = settings.toProperties();
        properties.put(DeadLetterCounts.CONFIG, counts);

        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), properties, T0)) {
            TestInputTopic<String, byte[]> in = driver.createInputTopic(settings.topics().usageEvents(),
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());

            assertThatThrownBy(() -> in.pipeInput("key-a", utf8("fine"), T0)).isInstanceOf(StreamsException.class);
            assertThat(driver.producedTopicNames()).doesNotContain(settings.topics().usageEventsDlq());
            assertThat(counts.snapshot()).isEmpty();
        }
    }

    @Test
    void anUnreadableRecordOnTheInternalRekeyTopicIsDeadLettered() {
        StreamsSettings settings = settings();
        DeadLetterCounts counts = new DeadLetterCounts();
        Properties properties = settings.toProperties();
        properties.put(DeadLetterCounts.CONFIG, counts);
        // the test driver drops what the deserialization handler produces under exactly-once (a real broker does
        // not: DeadLetterHandlersIntegrationTest), so this one runs at least once
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);

        try (TopologyTestDriver driver = new TopologyTestDriver(KeywatchTopology.build(settings), properties, T0)) {
            String rekeyTopic = settings.applicationId() + "-" + KeywatchTopology.REKEY_TOPIC + "-repartition";
            TestInputTopic<String, byte[]> rekeyed = driver.createInputTopic(rekeyTopic,
                    Serdes.String().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, byte[]> dlq = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

            rekeyed.pipeInput("key-a", utf8("{\"not\":\"an event\"}"), T0);

            TestRecord<String, byte[]> dead = dlq.readRecord();
            assertThat(dead.value()).isEqualTo(utf8("{\"not\":\"an event\"}"));
            assertThat(header(dead, DeadLetter.REASON_CODE_HEADER)).isEqualTo("deserialization-error");
            assertThat(header(dead, DeadLetter.REASON_HEADER)).startsWith("cannot deserialize: ");
            assertThat(header(dead, DeadLetter.ORIGIN_HEADER)).isEqualTo(rekeyTopic + "-0@0");
            assertThat(counts.count(RejectCode.DESERIALIZATION_ERROR)).isEqualTo(1);
        }
    }

    private StreamsSettings settings() {
        return StreamsSettings.fromEnv(TestStores.env(Map.of("KEYWATCH_TOPIC_PARTITIONS", "1"))).withStateDir(stateDir);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
