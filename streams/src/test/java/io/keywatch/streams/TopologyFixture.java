package io.keywatch.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import io.keywatch.streams.metrics.TopologyMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A TopologyTestDriver around {@link KeywatchTopology} with helpers to send events and read what came out.
 *
 * <p>A test registers it as an extension, {@code @RegisterExtension final TopologyFixture fixture = new
 * TopologyFixture();}: each test then gets a fresh topology in its own temporary state directory, closed and deleted
 * after the test. A test that needs other settings calls {@link #restart(Map)} first.
 */
final class TopologyFixture implements BeforeEachCallback, AfterEachCallback {

    /** Wall clock of the driver; events are stamped relative to it. A minute boundary, so minutes are easy to read. */
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(MAPPER, UsageEvent.class);
    private static final JsonSerde<KeyState> KEY_STATES = new JsonSerde<>(MAPPER, KeyState.class);
    /** The keys the fixture's topology signs alerts and verifies key states with. */
    static final RecordSigningKeys SIGNING_KEYS = RecordSigningKeys.random("topology-test");
    static final RecordSignatures SIGNATURES = new RecordSignatures(SIGNING_KEYS);

    // Not final: a restart replaces them with those of a new driver.
    StreamsSettings settings;
    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> usageEvents;
    TestInputTopic<String, byte[]> keyState;
    TestOutputTopic<String, Alert> alerts;
    TestOutputTopic<String, byte[]> deadLetters;
    /** The key-scopes topic as written: signed JSON bytes. */
    TestOutputTopic<String, byte[]> keyScopes;
    private final AtomicLong eventIds = new AtomicLong();
    private long wallClockOffsetMs;
    /** The driver's temporary state directory, deleted with it; null while none is open. */
    private Path stateDir;

    /**
     * Settings for the driver from these variables. The driver runs every topic with one partition, so the fixture
     * says so (the hygiene scan gives each key to the task of its partition).
     */
    private static StreamsSettings settings(Path stateDir, Map<String, String> env) {
        Map<String, String> all = new java.util.HashMap<>(env);
        all.putIfAbsent("KEYWATCH_TOPIC_PARTITIONS", "1");
        all.putIfAbsent(RecordSigningKeys.VAR, SIGNING_KEYS.toEnvValue());
        return StreamsSettings.fromEnv(TestStores.env(all)).withStateDir(stateDir);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start(Map.of());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        stop();
    }

    /**
     * Starts the test over on a fresh topology whose settings also read these variables (e.g. a detector's
     * threshold): what was sent so far is gone, the clock is back at {@link #T0}.
     */
    void restart(Map<String, String> env) {
        restart(env, TopologyMetrics.none());
    }

    /** Starts the test over (as {@link #restart(Map)}) on a topology that counts into {@code metrics}. */
    void restart(Map<String, String> env, TopologyMetrics metrics) {
        stop();
        start(env, metrics);
    }

    /** Starts the test over on a fresh topology with the default settings. */
    void restart() {
        restart(Map.of());
    }

    private void start(Map<String, String> env) {
        start(env, TopologyMetrics.none());
    }

    private void start(Map<String, String> env, TopologyMetrics metrics) {
        try {
            stateDir = Files.createTempDirectory("keywatch-topology-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings = settings(stateDir, env);
        driver = new TopologyTestDriver(KeywatchTopology.build(settings, new AtomicLong(), metrics),
                settings.toProperties(), T0);
        usageEvents = driver.createInputTopic(settings.topics().usageEvents(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        keyState = driver.createInputTopic(settings.topics().keyState(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        alerts = driver.createOutputTopic(settings.topics().alerts(),
                Serdes.String().deserializer(), new JsonSerde<>(MAPPER, Alert.class).deserializer());
        deadLetters = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        keyScopes = driver.createOutputTopic(settings.topics().keyScopes(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        eventIds.set(0);
        wallClockOffsetMs = 0;
    }

    private void stop() {
        // null when the driver did not start (or is closed already), so a failed start is not hidden by a second error
        if (driver != null) {
            driver.close();
            driver = null;
        }
        if (stateDir != null) {
            try {
                Utils.delete(stateDir.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            stateDir = null;
        }
    }

    static Instant minute(int n) {
        return T0.plus(Duration.ofMinutes(n));
    }

    /** A minimal successful request for the key at the given time. */
    UsageEvent event(String keyId, Instant at) {
        return UsageEvent.of("evt-" + eventIds.incrementAndGet(), keyId, at, "billing", AuthResult.OK)
                .withRequest("GET", "/v1/invoices", 200)
                .withClient("10.0.0.1", "DE", "curl/8");
    }

    /** Changes the event's outcome (auth result and HTTP status). */
    static UsageEvent withOutcome(UsageEvent event, AuthResult result, Integer status) {
        return new UsageEvent(event.eventId(), event.keyId(), event.timestamp(), event.service(), event.method(),
                event.path(), status, result, event.clientIp(), event.userAgent(), event.country(),
                event.latencyMs(), event.scope(), event.tls(), event.credentialLocation());
    }

    /** Sends {@code count} events for the key spread over the minute starting at {@code minuteStart}, each tweaked. */
    void sendMinute(String keyId, Instant minuteStart, int count, java.util.function.BiFunction<UsageEvent, Integer,
            UsageEvent> tweak) {
        for (int i = 0; i < count; i++) {
            send(tweak.apply(event(keyId, minuteStart.plusMillis(i * (59_000L / count))), i));
        }
    }

    /** Moves the driver's wall clock forward to {@code at}, so that events stamped up to then are not "future". */
    void clock(Instant at) {
        Instant now = T0.plusMillis(wallClockOffsetMs);
        if (at.isAfter(now)) {
            long step = at.toEpochMilli() - now.toEpochMilli();
            driver.advanceWallClockTime(Duration.ofMillis(step));
            wallClockOffsetMs += step;
        }
    }

    /** Sends an event after moving the wall clock to its time. */
    void sendLater(UsageEvent event) {
        clock(event.timestamp());
        send(event);
    }

    void send(UsageEvent event) {
        usageEvents.pipeInput(event.keyId(), EVENTS.toBytes(event), event.timestamp());
    }

    /** Sends {@code perMinute} ordinary events spread over each of minutes {@code [from, to)}. */
    void steadyTraffic(String keyId, int fromMinute, int toMinute, int perMinute) {
        for (int m = fromMinute; m < toMinute; m++) {
            for (int i = 0; i < perMinute; i++) {
                send(event(keyId, minute(m).plusMillis(i * (59_000L / perMinute))));
            }
        }
    }

    void sendRaw(String key, String value, Instant at) {
        usageEvents.pipeInput(key, value == null ? null : value.getBytes(StandardCharsets.UTF_8), at);
    }

    void keyState(String keyId, KeyStatus status, Instant changedAt, String reason) {
        pipeSignedKeyState(keyId, KEY_STATES.toBytes(new KeyState(keyId, status, changedAt, reason, "security-team")),
                changedAt);
    }

    /** Publishes a key state as it is. */
    void state(KeyState state) {
        pipeSignedKeyState(state.keyId(), KEY_STATES.toBytes(state), state.changedAt());
    }

    /** Publishes these bytes on the key-state topic, signed as keywatch's API signs them. */
    void pipeSignedKeyState(String key, byte[] value, Instant at) {
        RecordHeaders headers = new RecordHeaders();
        SIGNATURES.sign(settings.topics().keyState(), key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value, headers);
        keyState.pipeInput(new TestRecord<>(key, value, headers, at));
    }

    /** Publishes a registered, active key's state with this registry entry. */
    void register(String keyId, KeyMetadata metadata, Instant at) {
        pipeSignedKeyState(keyId, KEY_STATES.toBytes(
                new KeyState(keyId, KeyStatus.ACTIVE, at, "registered", "api:admin", metadata)), at);
    }

    List<Alert> readAlerts() {
        return alerts.readValuesToList();
    }

    /** The alerts of one rule (the others, e.g. UNKNOWN_KEY for the unregistered test keys, are read and dropped). */
    List<Alert> readAlerts(AlertRule rule) {
        return alerts.readValuesToList().stream().filter(alert -> alert.rule() == rule).toList();
    }

    List<MinuteUsage> usage(String keyId, Instant from, Instant to) {
        WindowStore<String, MinuteAggregate> store = driver.getWindowStore(KeywatchTopology.USAGE_STORE);
        return MinuteUsage.fetch(store, keyId, from, to, StreamsSettings.WINDOW_SIZE.toMillis());
    }

    MinuteUsage usageAt(String keyId, Instant windowStart) {
        List<MinuteUsage> minutes = usage(keyId, windowStart, windowStart);
        return minutes.isEmpty() ? null : minutes.get(0);
    }
}
