package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.RejectCode;
import io.keywatch.events.UsageEvent;
import io.keywatch.events.secrets.SecretFingerprinter;
import io.keywatch.events.signing.RecordSignatures;
import io.keywatch.events.signing.RecordSigningKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;

/**
 * Registered keys' usage events with fuzzed scopes, outcomes and times, through the whole topology: every key-scopes
 * record is signed, bounded (at most 16 unregistered scopes), holds no redacted scope, never drops a registered scope
 * once recorded nor goes back in its newest day, and is what the store now holds for its key; no event makes a
 * processor throw. One driver for the run, so records build up (and truncate) as in a running service.
 * {@code mvn verify} replays the committed inputs in {@code src/test/resources/io/keywatch/streams/
 * KeyScopeUsageFuzzTestInputs}.
 */
class KeyScopeUsageFuzzTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final int MAX_RECORDS = 16;
    private static final RecordSigningKeys KEYS = RecordSigningKeys.random("scope-fuzz");
    private static final RecordSignatures SIGNATURES = new RecordSignatures(KEYS);
    private static final JsonSerde<UsageEvent> EVENTS = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private static final JsonSerde<KeyScopeUsage> SCOPES =
            new JsonSerde<>(KeywatchJson.newMapper(), KeyScopeUsage.class);
    private static final List<String> KEY_IDS = List.of("key-0", "key-1", "key-2", "key-3");
    private static final List<String> REGISTERED = List.of("read", "write");
    private static final Map<String, KeyScopeUsage> LAST_PUBLISHED = new java.util.HashMap<>();

    private static Path stateDir;
    private static TopologyTestDriver driver;
    private static StreamsSettings settings;
    private static TestInputTopic<String, byte[]> usageEvents;
    private static TestOutputTopic<String, byte[]> keyScopes;
    private static TestOutputTopic<String, byte[]> deadLetters;
    private static KeyValueStore<String, KeyScopeUsage> store;
    private static long wallClock = T0.toEpochMilli();
    private static long eventIds;

    private static synchronized void start() throws IOException {
        if (driver != null) {
            return;
        }
        stateDir = Files.createTempDirectory("keywatch-scope-fuzz-");
        settings = StreamsSettings.fromEnv(Map.of("KEYWATCH_TOPIC_PARTITIONS", "1",
                RecordSigningKeys.VAR, KEYS.toEnvValue())).withStateDir(stateDir);
        driver = new TopologyTestDriver(KeywatchTopology.build(settings), settings.toProperties(), T0);
        usageEvents = driver.createInputTopic(settings.topics().usageEvents(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        keyScopes = driver.createOutputTopic(settings.topics().keyScopes(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        deadLetters = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        store = driver.getKeyValueStore(KeywatchTopology.SCOPE_USAGE_STORE);
        TestInputTopic<String, byte[]> keyState = driver.createInputTopic(settings.topics().keyState(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        JsonSerde<KeyState> states = new JsonSerde<>(KeywatchJson.newMapper(), KeyState.class);
        for (String keyId : KEY_IDS) {
            byte[] value = states.toBytes(new KeyState(keyId, KeyStatus.ACTIVE, T0, "registered", "api:admin",
                    new KeyMetadata("acme", "billing", REGISTERED, null, null, null, null, null, null,
                            null)));
            RecordHeaders headers = new RecordHeaders();
            SIGNATURES.sign(settings.topics().keyState(), keyId.getBytes(StandardCharsets.UTF_8), value, headers);
            keyState.pipeInput(new TestRecord<>(keyId, value, headers, T0));
        }
    }

    @AfterAll
    static synchronized void stop() throws IOException {
        if (driver != null) {
            driver.close();
            driver = null;
            Utils.delete(stateDir.toFile());
        }
    }

    @FuzzTest
    void everyScopeRecordIsSignedBoundedAndWhatTheStoreHolds(FuzzedDataProvider data) throws IOException {
        start();
        int records = data.consumeInt(1, MAX_RECORDS);
        for (int i = 0; i < records && data.remainingBytes() > 0; i++) {
            String keyId = data.pickValue(KEY_IDS);
            // mostly forward in time (days at a time, so last-used days advance), sometimes back
            long at = wallClock + data.consumeLong(-Duration.ofHours(2).toMillis(), Duration.ofDays(3).toMillis());
            if (at > wallClock) {
                driver.advanceWallClockTime(Duration.ofMillis(at - wallClock));
                wallClock = at;
            }
            String scope = switch (data.consumeInt(0, 3)) {
                case 0 -> data.pickValue(new String[] {"read", "write", "admin", ""});
                case 1 -> "scope-" + data.consumeInt(0, 200);
                case 2 -> null;
                default -> data.consumeString(300);
            };
            Integer status = data.consumeBoolean() ? null : data.consumeInt(100, 599);
            UsageEvent event = new UsageEvent("e-" + (++eventIds), keyId, Instant.ofEpochMilli(at), "billing", "GET",
                    "/v1", status, data.pickValue(AuthResult.values()), "10.0.0.1", "curl/8", "DE", 5, scope,
                    true, CredentialLocation.HEADER);
            usageEvents.pipeInput(keyId, EVENTS.toBytes(event), at);
            check();
        }
    }

    private static void check() {
        for (TestRecord<String, byte[]> dead : deadLetters.readRecordsToList()) {
            Header code = dead.headers().lastHeader(DeadLetter.REASON_CODE_HEADER);
            assertThat(code).isNotNull();
            assertThat(new String(code.value(), StandardCharsets.UTF_8))
                    .isNotEqualTo(RejectCode.PROCESSING_ERROR.code());
        }
        Map<String, KeyScopeUsage> latest = new java.util.HashMap<>();
        for (TestRecord<String, byte[]> record : keyScopes.readRecordsToList()) {
            assertThat(SIGNATURES.verify(settings.topics().keyScopes(), record.key().getBytes(StandardCharsets.UTF_8),
                    record.value(), record.headers()).valid()).isTrue();
            KeyScopeUsage usage = SCOPES.fromBytes(record.value());
            assertThat(usage.keyId()).isEqualTo(record.key()).isIn(KEY_IDS);
            assertThat(usage.lastUsed()).hasSizeLessThanOrEqualTo(KeyScopeUsage.MAX_SCOPES);
            assertThat(usage.lastUsed().keySet().stream().filter(scope -> !REGISTERED.contains(scope)))
                    .hasSizeLessThanOrEqualTo(KeyScopeUsage.MAX_UNREGISTERED_SCOPES);
            KeyScopeUsage previous = LAST_PUBLISHED.put(record.key(), usage);
            if (previous != null) {
                // a registered scope once recorded is never dropped, and the API's order of records holds
                for (String scope : REGISTERED) {
                    if (previous.lastUsed().containsKey(scope)) {
                        assertThat(usage.lastUsed()).containsKey(scope);
                    }
                }
                assertThat(usage.newestDay()).isAfterOrEqualTo(previous.newestDay());
            }
            assertThat(usage.lastUsed().keySet()).allSatisfy(scope ->
                    assertThat(scope).isNotEmpty().doesNotContain(SecretFingerprinter.PREFIX));
            assertThat(usage.lastUsed().values()).allSatisfy(day -> assertThat(day).isAfterOrEqualTo(usage.firstSeen()));
            latest.put(record.key(), usage);
        }
        latest.forEach((keyId, usage) -> assertThat(store.get(keyId)).isEqualTo(usage));
    }
}
