package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.streams.redact.RedactSecretsProcessor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

class SecretInTelemetryTest {

    private static final String FINGERPRINT_KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Logger root;
    private Level rootLevel;

    /** A Stripe secret key in Stripe's documented shape, built here so that none is committed. */
    private static String stripeSecret(long seed) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder body = new StringBuilder("Qr7");
        while (body.length() < 24) {
            body.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return "sk_" + "live_" + body;
    }

    @BeforeEach
    void captureEveryLogLine() {
        // every level of every logger, keywatch's and Kafka's, for the duration of the test
        root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        rootLevel = root.getLevel();
        root.setLevel(Level.DEBUG);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.keywatch").setLevel(Level.DEBUG);
        logs.start();
        root.addAppender(logs);
        fixture.restart(Map.of(StreamsSettings.SECRET_FINGERPRINT_KEY_VAR, FINGERPRINT_KEY));
    }

    @AfterEach
    void stopCapturing() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
        ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("io.keywatch").setLevel(Level.INFO);
    }

    @Test
    void aSecretKeyIdIsFingerprintedEverywhereAndRaisesOneCriticalAlert() throws IOException {
        String secret = stripeSecret(1);
        // keyed by the secret, as a publisher that confuses the two would do; sent twice in two minutes
        fixture.send(fixture.event(secret, minute(0).plusSeconds(1)));
        fixture.send(fixture.event(secret, minute(1).plusSeconds(1)));

        List<Alert> alerts = fixture.readAlerts();
        assertThat(alerts).singleElement().satisfies(alert -> {
            assertThat(alert.rule()).isEqualTo(AlertRule.SECRET_IN_TELEMETRY);
            assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.keyId()).matches("redacted:stripe-secret-key:[0-9a-f]{32}");
            assertThat(alert.summary()).contains("billing").contains("stripe-secret-key").doesNotContain(secret);
            assertThat(alert.evidence()).containsEntry("secretFormat", "stripe-secret-key")
                    .containsEntry("service", "billing");
        });
        String fingerprint = alerts.get(0).keyId();
        // both events counted under the one fingerprint: the same secret still groups
        assertThat(fixture.usageAt(fingerprint, minute(0)).requests()).isEqualTo(1);
        assertThat(fixture.usageAt(fingerprint, minute(1)).requests()).isEqualTo(1);
        // the record key was the secret: the events reached their task through the re-key topic, keyed by fingerprint
        assertThat(fixture.driver.producedTopicNames())
                .anyMatch(topic -> topic.endsWith(KeywatchTopology.REKEY_TOPIC + "-repartition"));

        assertNoTraceOf(secret);
    }

    @Test
    void rejectedEventsAreDeadLetteredWithTheirSecretsFingerprintedAndNoReasonOrLogQuotesThem() throws IOException {
        String secret = stripeSecret(4);
        String body = secret.substring("sk_live_".length(), "sk_live_".length() + 10);
        String rest = "\"timestamp\":\"" + minute(0) + "\",\"service\":\"billing\",\"authResult\":\"OK\"";
        // the secret read from a file with its newline; a valid secret key id with a wrong status; the secret
        // unquoted (Jackson echoes the token); keyed by the secret but stamped in the future; the secret in the path
        fixture.sendRaw(secret, "{\"eventId\":\"e1\",\"keyId\":\"" + secret + "\\n\"," + rest + "}", minute(0));
        fixture.sendRaw(secret, "{\"eventId\":\"e2\",\"keyId\":\"" + secret + "\",\"status\":7," + rest + "}",
                minute(0));
        fixture.sendRaw("key-a", "{\"eventId\":\"e3\",\"keyId\":" + secret + "," + rest + "}", minute(0));
        fixture.sendRaw(secret, "{\"eventId\":\"e4\",\"keyId\":\"" + secret + "\",\"timestamp\":\"2099-01-01T00:00:00Z\","
                + "\"service\":\"billing\",\"authResult\":\"OK\"}", minute(0));
        fixture.sendRaw("key-b", "{\"eventId\":\"e5\",\"keyId\":\"key-b\",\"path\":\"/v1?key=" + secret
                + "\",\"country\":\"DEU\"," + rest + "}", minute(0));
        // and one valid event keyed by the secret: its fingerprint is the dead letters' key
        fixture.send(fixture.event(secret, minute(0).plusSeconds(1)));
        String fingerprint = fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY).get(0).keyId();

        List<TestRecord<String, byte[]>> dead = fixture.deadLetters.readRecordsToList();
        assertThat(dead).hasSize(5);
        for (TestRecord<String, byte[]> record : dead) {
            String value = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(value).doesNotContain(body).contains("redacted:stripe-secret-key:");
            assertThat(record.key()).doesNotContain(body);
            for (Header header : record.headers()) {
                assertThat(new String(header.value(), StandardCharsets.UTF_8)).as(header.key()).doesNotContain(body);
            }
        }
        assertThat(dead).extracting(TestRecord::key).containsExactly(fingerprint, fingerprint, "key-a", fingerprint,
                "key-b");
        assertThat(dead).extracting(record -> new String(record.headers().lastHeader(DeadLetter.REDACTED_HEADER)
                .value(), StandardCharsets.UTF_8)).containsExactly("key,value", "key,value", "value", "key,value",
                "value");
        // the value is otherwise as it arrived, and the fingerprint is the key id's
        assertThat(new String(dead.get(1).value(), StandardCharsets.UTF_8))
                .isEqualTo("{\"eventId\":\"e2\",\"keyId\":\"" + fingerprint + "\",\"status\":7," + rest + "}");
        for (ILoggingEvent line : logs.list) {
            assertThat(line.getFormattedMessage()).as("log line").doesNotContain(body);
        }
        assertNoTraceOf(secret);
    }

    @Test
    void aRejectedEventThatHeldASecretRaisesTheAlertUnderItsFingerprint() throws IOException {
        String secret = stripeSecret(6);
        String rest = "\"timestamp\":\"" + minute(0) + "\",\"service\":\"billing\",\"authResult\":\"OK\"";
        // a valid secret key id with a status out of range: rejected by the parser, yet the secret leaked
        fixture.sendRaw(secret, "{\"eventId\":\"e1\",\"keyId\":\"" + secret + "\",\"status\":7," + rest + "}",
                minute(0));

        assertThat(fixture.deadLetters.readRecordsToList()).hasSize(1);
        assertThat(fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY)).singleElement().satisfies(alert -> {
            assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(alert.keyId()).matches("redacted:stripe-secret-key:[0-9a-f]{32}");
            assertThat(alert.evidence()).containsEntry("secretFormat", "stripe-secret-key")
                    .containsEntry("rejected", "field-invalid");
        });
        assertNoTraceOf(secret);
    }

    @Test
    void aSecretInAnEventsOwnHeaderIsFingerprintedBeforeTheReKeyTopicOrTheDeadLetterTopic() throws IOException {
        String secret = stripeSecret(7);
        byte[] json = KeywatchJson.newMapper().writeValueAsBytes(fixture.event("key-h", minute(0)));
        // keyed other than by its key id (so it crosses the re-key topic), then once more far too late for its minute
        fixture.sendLater(fixture.event("key-now", minute(180)));
        fixture.usageEvents.pipeInput(new TestRecord<>("not-the-key-id", json,
                new RecordHeaders().add("authorization", ("Bearer " + secret).getBytes(StandardCharsets.UTF_8)),
                minute(0)));
        fixture.usageEvents.pipeInput(new TestRecord<>("key-h", json,
                new RecordHeaders().add("authorization", ("Bearer " + secret).getBytes(StandardCharsets.UTF_8)),
                minute(0)));

        TestRecord<String, byte[]> late = fixture.deadLetters.readRecord();
        assertThat(new String(late.headers().lastHeader("authorization").value(), StandardCharsets.UTF_8))
                .startsWith("Bearer redacted:stripe-secret-key:");
        assertNoTraceOf(secret);
    }

    @Test
    void aLateEventWhoseKeyIdIsASecretStillRaisesTheAlert() throws IOException {
        String secret = stripeSecret(5);
        // the task's newest minute is three hours on: a secret-keyed event of minute 0 is past the usage retention
        fixture.sendLater(fixture.event("key-now", minute(180)));
        fixture.send(fixture.event(secret, minute(0)));

        assertThat(fixture.deadLetters.readRecord().headers().lastHeader(DeadLetter.REASON_CODE_HEADER).value())
                .asString(java.nio.charset.StandardCharsets.UTF_8).isEqualTo("late");
        assertThat(fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY)).singleElement().satisfies(alert -> {
            assertThat(alert.keyId()).matches("redacted:stripe-secret-key:[0-9a-f]{32}");
            assertThat(alert.windowStart()).isEqualTo(java.time.Instant.parse("2026-03-02T00:00:00Z"));
        });
        assertNoTraceOf(secret);
    }

    @Test
    void theSameSecretGetsTheSameFingerprintAfterARestartWithTheSameKey() {
        String secret = stripeSecret(2);
        fixture.send(fixture.event(secret, minute(0)));
        String first = fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY).get(0).keyId();

        fixture.restart(Map.of(StreamsSettings.SECRET_FINGERPRINT_KEY_VAR, FINGERPRINT_KEY));
        fixture.send(fixture.event(secret, minute(0)));
        assertThat(fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY)).singleElement()
                .extracting(Alert::keyId).isEqualTo(first);

        fixture.restart(Map.of(StreamsSettings.SECRET_FINGERPRINT_KEY_VAR,
                Base64.getEncoder().encodeToString("another key of 32 bytes, exactly".getBytes())));
        fixture.send(fixture.event(secret, minute(0)));
        assertThat(fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY)).singleElement()
                .extracting(Alert::keyId).isNotEqualTo(first);
    }

    @Test
    void redactsSecretsInThePathAndUserAgentInPlace() throws IOException {
        String secret = stripeSecret(3);
        UsageEvent event = fixture.event("key_live_42", minute(0))
                .withRequest("GET", "/v1/charges?api_key=" + secret + "&limit=10", 200)
                .withClient("10.0.0.1", "DE", "curl/8 Bearer " + secret);
        fixture.send(event);
        fixture.sendLater(fixture.event("key_live_42", minute(0).plusSeconds(2))
                .withRequest("GET", "/v1/charges/" + secret, 200));

        Alert unknown = fixture.readAlerts(AlertRule.UNKNOWN_KEY).get(0);
        assertThat(unknown.evidence()).containsEntry("path", "/v1/charges?api_key=redacted:stripe-secret-key&limit=10")
                .containsEntry("userAgent", "curl/8 Bearer redacted:stripe-secret-key");
        assertThat(fixture.usageAt("key_live_42", minute(0)).topPaths())
                .containsKeys("/v1/charges/redacted:stripe-secret-key");
        assertNoTraceOf(secret);
    }

    @Test
    void aForgedFingerprintKeyIdRaisesUnknownKeyAndNoSecretAlert() {
        // anyone can publish a key id of a fingerprint's shape, and a forged secret-format header is dropped: such a
        // key id is an unknown key like any other, not a secret and not silenced
        String forged = "redacted:stripe-secret-key:0123456789abcdef0123456789abcdef";
        UsageEvent event = fixture.event(forged, minute(0));
        RecordHeaders headers = new RecordHeaders();
        headers.add(RedactSecretsProcessor.SECRET_FORMAT_HEADER, "jwt".getBytes(StandardCharsets.UTF_8));
        fixture.usageEvents.pipeInput(new TestRecord<>(forged, json(event), headers, minute(0)));

        assertThat(fixture.readAlerts()).extracting(Alert::rule).containsExactly(AlertRule.UNKNOWN_KEY);
        assertThat(SecretFingerprinter.isFingerprint(forged)).isTrue();
    }

    @Test
    void aReplayedFingerprintOfASecretAlreadyReportedRaisesNoUnknownKey() {
        fixture.send(fixture.event(stripeSecret(4), minute(0)));
        String fingerprint = fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY).get(0).keyId();

        // a dead letter replayed: the fingerprint as key id, the redact step's header gone; a later minute
        fixture.send(fixture.event(fingerprint, minute(5)));

        assertThat(fixture.usageAt(fingerprint, minute(5))).isNotNull();
        assertThat(fixture.readAlerts()).extracting(Alert::rule).doesNotContain(AlertRule.UNKNOWN_KEY);
    }

    @Test
    void ordinaryKeyIdsAreLeftAlone() {
        for (String keyId : List.of("key_live_42", "pk_" + "a8Xk2mQ9rT4vW7zB", "0b5f6f8e-3c1e-4d0a-9a59-2f1e5b7c9d10")) {
            fixture.send(fixture.event(keyId, minute(0)));
            assertThat(fixture.usageAt(keyId, minute(0))).as(keyId).isNotNull();
        }
        assertThat(fixture.readAlerts(AlertRule.SECRET_IN_TELEMETRY)).isEmpty();
    }

    private static byte[] json(UsageEvent event) {
        return new io.keywatch.events.JsonSerde<>(io.keywatch.events.KeywatchJson.newMapper(), UsageEvent.class)
                .toBytes(event);
    }

    /** Neither a record on any topic, nor a key or value in any store or state file, nor a log line has the secret. */
    private void assertNoTraceOf(String secret) throws IOException {
        byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
        List<String> topics = new ArrayList<>(fixture.driver.producedTopicNames());
        assertThat(topics).contains(fixture.settings.topics().alerts());
        for (String topic : topics) {
            for (TestRecord<byte[], byte[]> record : fixture.driver.createOutputTopic(topic,
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()).readRecordsToList()) {
                assertThat(contains(record.key(), needle)).as("key on %s", topic).isFalse();
                assertThat(contains(record.value(), needle)).as("value on %s", topic).isFalse();
                for (Header header : record.headers()) {
                    assertThat(contains(header.value(), needle)).as("header on %s", topic).isFalse();
                }
            }
        }
        for (Map.Entry<String, StateStore> store : fixture.driver.getAllStateStores().entrySet()) {
            if (store.getValue() instanceof KeyValueStore<?, ?> kv) {
                try (KeyValueIterator<?, ?> all = kv.all()) {
                    while (all.hasNext()) {
                        KeyValue<?, ?> entry = all.next();
                        assertThat(String.valueOf(entry.key)).as("key in %s", store.getKey()).doesNotContain(secret);
                        assertThat(String.valueOf(entry.value)).as("value in %s", store.getKey())
                                .doesNotContain(secret);
                    }
                }
            }
        }
        // the stores' files, after the driver flushed and closed them
        Path stateDir = fixture.settings.stateDir();
        fixture.driver.close();
        fixture.driver = null;
        try (Stream<Path> files = Files.walk(stateDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(contains(Files.readAllBytes(file), needle)).as("state file %s", file).isFalse();
            }
        }
        assertThat(logs.list).isNotEmpty();
        for (ILoggingEvent line : logs.list) {
            String text = line.getFormattedMessage()
                    + (line.getThrowableProxy() == null ? "" : ThrowableProxyUtil.asString(line.getThrowableProxy()));
            assertThat(text).as("log line").doesNotContain(secret);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        if (haystack == null) {
            return false;
        }
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
