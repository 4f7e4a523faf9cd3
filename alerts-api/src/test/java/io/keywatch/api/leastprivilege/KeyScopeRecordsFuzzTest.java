package io.keywatch.api.leastprivilege;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.api.support.TestServices;
import io.keywatch.events.KeyScopeUsage;
import io.keywatch.events.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The key-scopes intake's parser on any record keywatch signed (so that the fuzzer gets past the signature to the
 * JSON and the bounds): it answers with a usage within every bound the store relies on, or refuses with a reason
 * code and a printable reason, and never throws anything else. {@code mvn verify} replays the committed inputs in
 * {@code KeyScopeRecordsFuzzTestInputs}; README: Fuzzing.
 */
class KeyScopeRecordsFuzzTest {

    private static final String TOPIC = "keywatch.key-scopes";
    private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);
    private static final RecordSignatures SIGNATURES = new RecordSignatures(TestServices.SIGNING_KEYS);
    private static final KeyScopeRecords RECORDS = new KeyScopeRecords(SIGNATURES,
            Clock.fixed(Instant.parse("2026-12-06T12:00:00Z"), ZoneOffset.UTC));

    /** Raw key and value bytes, signed. */
    @FuzzTest
    void everySignedRecordIsAUsageWithinBoundsOrRefused(FuzzedDataProvider data) {
        byte[] key = data.consumeBoolean() ? data.consumeBytes(data.consumeInt(0, 300))
                : ("k-" + data.consumeAsciiString(20)).getBytes(StandardCharsets.UTF_8);
        byte[] value = data.consumeRemainingAsBytes();
        check(key, value);
    }

    /** A JSON object close to a real record, fuzzed field by field, to reach every bound. */
    @FuzzTest
    void everyFuzzedUsageIsWithinBoundsOrRefused(FuzzedDataProvider data) {
        String keyId = data.consumeBoolean() ? "pk_live_1" : data.consumeString(30);
        StringBuilder json = new StringBuilder("{\"keyId\":").append(quote(data.consumeBoolean() ? "pk_live_1"
                : keyId)).append(",\"firstSeen\":").append(day(data)).append(",\"lastUsed\":{");
        int scopes = data.consumeInt(0, 70);
        for (int i = 0; i < scopes; i++) {
            json.append(i == 0 ? "" : ",").append(quote(data.consumeBoolean() ? "scope:" + i
                    : data.consumeString(data.consumeInt(0, 300)))).append(':').append(day(data));
        }
        json.append("},\"truncated\":").append(data.consumeBoolean() ? "true" : data.consumeString(5)).append('}');
        if (data.consumeBoolean()) {
            json.append(data.consumeRemainingAsString());
        }
        check(keyId.getBytes(StandardCharsets.UTF_8), json.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void check(byte[] key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        SIGNATURES.sign(TOPIC, key, value, headers);
        KeyScopeUsage usage;
        try {
            usage = RECORDS.parse(TOPIC, key, value, headers);
        } catch (RefusedRecordException refused) {
            assertThat(refused.reasonCode()).matches("[a-z]+(-[a-z]+)*");
            assertThat(refused.getMessage()).isNotBlank().hasSizeLessThan(400);
            refused.getMessage().codePoints().forEach(c -> assertThat(Character.isISOControl(c)).isFalse());
            return;
        }
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo(usage.keyId());
        assertThat(usage.keyId()).hasSizeBetween(1, 256);
        assertThat(usage.firstSeen()).isBetween(LocalDate.of(2000, 1, 1), TODAY.plusDays(1));
        assertThat(usage.lastUsed()).hasSizeLessThanOrEqualTo(KeyScopeUsage.MAX_SCOPES);
        for (Map.Entry<String, LocalDate> entry : usage.lastUsed().entrySet()) {
            assertThat(entry.getKey()).hasSizeBetween(1, 256).doesNotContain("\u0000");
            entry.getKey().codePoints().forEach(c -> {
                assertThat(Character.isISOControl(c)).isFalse();
                assertThat(Character.getType(c)).isNotIn((int) Character.SURROGATE, (int) Character.FORMAT);
            });
            assertThat(entry.getValue()).isBetween(LocalDate.of(2000, 1, 1), TODAY.plusDays(1));
        }
    }

    private static String day(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> quote(TODAY.minusDays(data.consumeInt(-5, 10_000)).toString());
            case 1 -> "null";
            case 2 -> String.valueOf(data.consumeLong());
            default -> quote(data.consumeString(24));
        };
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                quoted.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
