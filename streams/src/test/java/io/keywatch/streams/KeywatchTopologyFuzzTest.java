package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import io.keywatch.events.UsageEventParser;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;

/**
 * The whole topology fed fuzzed records: every record is either counted in its key's minute or dead-lettered, exactly
 * once, with a reason code; no exception escapes, and no record makes a processor throw (a {@code processing-error}
 * would be a bug found). One driver serves the whole run, so state builds up as in a running service: stream time
 * advances, later events turn late, the hygiene scan runs.
 *
 * <p>"Counted" is read from the usage store: the requests of the event's minute, over all keys, go up by one.
 * {@code mvn verify} replays the committed inputs in {@code src/test/resources/io/keywatch/streams/
 * KeywatchTopologyFuzzTestInputs} (records separated by a 0xFF byte, which UTF-8 never contains); README: Fuzzing.
 */
class KeywatchTopologyFuzzTest {

    private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
    private static final long MINUTE_MS = StreamsSettings.WINDOW_SIZE.toMillis();
    private static final int MAX_RECORDS = 16;
    private static final JsonFactory JSON = new JsonFactory();
    private static final UsageEventParser PARSER = new UsageEventParser();

    private static Path stateDir;
    private static TopologyTestDriver driver;
    private static TestInputTopic<String, byte[]> usageEvents;
    private static TestOutputTopic<String, byte[]> deadLetters;
    private static WindowStore<String, MinuteAggregate> usage;

    private static synchronized void start() throws IOException {
        if (driver != null) {
            return;
        }
        stateDir = Files.createTempDirectory("keywatch-topology-fuzz-");
        StreamsSettings settings = StreamsSettings.fromEnv(Map.of("KEYWATCH_TOPIC_PARTITIONS", "1"))
                .withStateDir(stateDir);
        driver = new TopologyTestDriver(KeywatchTopology.build(settings), settings.toProperties(), T0);
        usageEvents = driver.createInputTopic(settings.topics().usageEvents(),
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        deadLetters = driver.createOutputTopic(settings.topics().usageEventsDlq(),
                Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
        usage = driver.getWindowStore(KeywatchTopology.USAGE_STORE);
    }

    @AfterAll
    static synchronized void stop() throws IOException {
        if (driver != null) {
            driver.close();
            driver = null;
            Utils.delete(stateDir.toFile());
        }
    }

    /** Raw record values, separated by 0xFF bytes. */
    @FuzzTest
    void everyRawRecordIsCountedOrDeadLetteredOnce(byte[] input) throws IOException {
        start();
        int from = 0;
        for (int records = 0; records < MAX_RECORDS && from <= input.length; records++) {
            int to = from;
            while (to < input.length && input[to] != (byte) 0xff) {
                to++;
            }
            byte[] value = java.util.Arrays.copyOfRange(input, from, to);
            send(records % 3 == 2 ? null : "key-" + (value.length % 4), value);
            from = to + 1;
        }
    }

    /** Well-formed events with fuzzed fields and times, for a few keys. */
    @FuzzTest
    void everyFuzzedEventIsCountedOrDeadLetteredOnce(FuzzedDataProvider data) throws IOException {
        start();
        int records = data.consumeInt(1, MAX_RECORDS);
        for (int i = 0; i < records && data.remainingBytes() > 0; i++) {
            String keyId = data.consumeBoolean() ? "key-" + data.consumeInt(0, 3) : data.consumeString(40);
            String key = switch (data.consumeInt(0, 2)) {
                case 0 -> keyId;
                case 1 -> null;
                default -> "other";
            };
            send(key, fuzzedEvent(data, keyId));
        }
    }

    private static void send(String key, byte[] value) {
        UsageEventParser.Result parsed = PARSER.parse(value);
        Long minute = parsed instanceof UsageEventParser.Valid valid
                ? Math.floorDiv(valid.event().timestamp().toEpochMilli(), MINUTE_MS) * MINUTE_MS : null;
        long before = requestsIn(minute);

        usageEvents.pipeInput(key, value, T0);

        List<TestRecord<String, byte[]>> dead = deadLetters.readRecordsToList();
        long counted = requestsIn(minute) - before;
        assertThat(dead.size() + counted).as("dead-lettered + counted").isEqualTo(1);
        for (TestRecord<String, byte[]> record : dead) {
            String code = header(record, DeadLetter.REASON_CODE_HEADER);
            assertThat(code).isNotNull().isNotIn(RejectCode.PROCESSING_ERROR.code(),
                    RejectCode.DESERIALIZATION_ERROR.code());
            assertThat(header(record, DeadLetter.REASON_HEADER)).as(code).isNotBlank();
            assertThat(header(record, DeadLetter.ORIGIN_HEADER)).as(code).isNotBlank();
            // unchanged, but for a secret-looking token keywatch fingerprinted in it (and then says so)
            if (!code.equals(RejectCode.LATE.code()) && record.headers().lastHeader(DeadLetter.REDACTED_HEADER) == null) {
                assertThat(record.value()).as(code).isEqualTo(value);
            }
            if (parsed instanceof UsageEventParser.Invalid invalid) {
                assertThat(code).isEqualTo(invalid.code().code());
            }
        }
    }

    /** The requests counted in the minute starting at {@code minute}, over every key; 0 for no minute. */
    private static long requestsIn(Long minute) {
        if (minute == null) {
            return 0;
        }
        long requests = 0;
        Instant start = Instant.ofEpochMilli(minute);
        try (KeyValueIterator<Windowed<String>, MinuteAggregate> all = usage.fetchAll(start, start)) {
            while (all.hasNext()) {
                KeyValue<Windowed<String>, MinuteAggregate> next = all.next();
                requests += next.value.requests();
            }
        }
        return requests;
    }

    private static byte[] fuzzedEvent(FuzzedDataProvider data, String keyId) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("eventId", data.consumeBoolean() ? "e-" + data.consumeInt() : data.consumeString(20));
            json.writeStringField("keyId", keyId);
            json.writeStringField("timestamp", timestamp(data));
            json.writeStringField("service", data.pickValue(new String[] {"billing", "search", ""}));
            json.writeStringField("authResult", data.pickValue(new String[] {"OK", "INVALID_SECRET", "REVOKED",
                    "EXPIRED", "SCOPE_DENIED", "RATE_LIMITED", "nope"}));
            if (data.consumeBoolean()) {
                json.writeStringField("method", data.pickValue(new String[] {"GET", "POST", "G T"}));
                json.writeStringField("path", data.consumeBoolean() ? "/v1/x?api_key=" + keyId : data.consumeString(60));
                json.writeNumberField("status", data.consumeInt(0, 700));
            }
            if (data.consumeBoolean()) {
                json.writeStringField("clientIp", data.pickValue(new String[] {"10.0.0.1", "10.0.0.2", "2001:db8::1",
                        "203.0.113." + data.consumeInt(0, 300), data.consumeString(20)}));
                json.writeStringField("country", data.pickValue(new String[] {"DE", "us", "FR", "XX", "D"}));
                json.writeStringField("userAgent", data.consumeString(80));
            }
            if (data.consumeBoolean()) {
                json.writeNumberField("latencyMs", data.consumeInt(-10, 100_000));
                json.writeStringField("scope", data.consumeString(30));
                json.writeBooleanField("tls", data.consumeBoolean());
                json.writeStringField("credentialLocation", data.pickValue(new String[] {"HEADER", "QUERY", "BODY"}));
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Mostly near the driver's clock (late, on time, a little ahead, too far ahead), sometimes extreme. */
    private static String timestamp(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 5)) {
            case 0 -> data.pickValue(new String[] {"+1000000000-01-01T00:00:00Z", "1969-12-31T23:59:59Z",
                    "2000-01-01T00:00:00Z", "2099-12-31T23:59:59.999Z", "1970-01-01T00:00:00Z", "yesterday"});
            case 1 -> Instant.ofEpochMilli(data.consumeLong(Instant.parse("2000-01-01T00:00:00Z").toEpochMilli(),
                    Instant.parse("2099-12-31T00:00:00Z").toEpochMilli())).toString();
            default -> T0.plusMillis(data.consumeLong(-4 * 3_600_000L, 2 * 3_600_000L)).toString();
        };
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
