package io.keywatch.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AuthResult;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;

/** A TopologyTestDriver around {@link KeywatchTopology} with helpers to send events and read what came out. */
final class TopologyFixture implements AutoCloseable {

    /** Wall clock of the driver; events are stamped relative to it. A minute boundary, so minutes are easy to read. */
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

    private static final ObjectMapper MAPPER = KeywatchJson.newMapper();
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(MAPPER, UsageEvent.class);
    private static final JsonSerde<KeyState> KEY_STATES = new JsonSerde<>(MAPPER, KeyState.class);

    final StreamsSettings settings;
    final TopologyTestDriver driver;
    final TestInputTopic<String, byte[]> usageEvents;
    final TestInputTopic<String, byte[]> keyState;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, byte[]> deadLetters;
    private final AtomicLong eventIds = new AtomicLong();

    TopologyFixture(Path stateDir) {
        this(StreamsSettings.fromEnv(Map.of()).withStateDir(stateDir));
    }

    TopologyFixture(StreamsSettings settings) {
        this.settings = settings;
        this.driver = new TopologyTestDriver(KeywatchTopology.build(settings), settings.toProperties(), T0);
        this.usageEvents = driver.createInputTopic(settings.topics().usageEvents(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        this.keyState = driver.createInputTopic(settings.topics().keyState(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        this.alerts = driver.createOutputTopic(settings.topics().alerts(),
                Serdes.String().deserializer(), new JsonSerde<>(MAPPER, Alert.class).deserializer());
        this.deadLetters = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
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
        keyState.pipeInput(keyId, KEY_STATES.toBytes(new KeyState(keyId, status, changedAt, reason, "security-team")),
                changedAt);
    }

    List<Alert> readAlerts() {
        return alerts.readValuesToList();
    }

    List<MinuteUsage> usage(String keyId, Instant from, Instant to) {
        WindowStore<String, MinuteAggregate> store = driver.getWindowStore(KeywatchTopology.USAGE_STORE);
        return MinuteUsage.fetch(store, keyId, from, to, StreamsSettings.WINDOW_SIZE.toMillis());
    }

    MinuteUsage usageAt(String keyId, Instant windowStart) {
        List<MinuteUsage> minutes = usage(keyId, windowStart, windowStart);
        return minutes.isEmpty() ? null : minutes.get(0);
    }

    @Override
    public void close() {
        driver.close();
    }
}
