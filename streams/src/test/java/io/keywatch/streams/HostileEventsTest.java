package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue #10's hostile usage events, through the whole topology: each goes to the dead-letter topic with its reason
 * code, unchanged, and the ordinary event after it is still counted. Before the validation boundary these were
 * accepted (NUL and 200,000-character key ids, trailing bytes, UTF-16, overlong UTF-8) or dropped by a processing
 * exception (timestamps that overflow or lie before 1970).
 */
class HostileEventsTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    private static final String VALID =
            "{\"eventId\":\"e1\",\"keyId\":\"key-a\",\"timestamp\":\"2026-03-02T10:00:01Z\",\"service\":\"billing\","
                    + "\"authResult\":\"OK\"}";

    @Test
    void deadLettersAKeyIdWithANulCharacter() {
        assertDeadLettered(VALID.replace("key-a", "key\\u0000a").getBytes(StandardCharsets.UTF_8), "field-invalid",
                "field 'keyId' must be printable");
        // the ordinary event after it raised its alerts; nothing for the NUL key id
        assertThat(fixture.readAlerts()).extracting(alert -> alert.keyId()).containsOnly("key-a");
    }

    @Test
    void deadLettersTimestampsThatWouldOverflowOrLieBefore1970() {
        assertDeadLettered(utf8(VALID.replace("2026-03-02T10:00:01Z", "+1000000000-01-01T00:00:00Z")),
                "timestamp-out-of-range", "field 'timestamp'");
        assertDeadLettered(utf8(VALID.replace("2026-03-02T10:00:01Z", "-1000000000-01-01T00:00:00Z")),
                "timestamp-out-of-range", "field 'timestamp'");
        assertDeadLettered(utf8(VALID.replace("2026-03-02T10:00:01Z", "1969-12-31T23:59:59.999Z")),
                "timestamp-out-of-range", "field 'timestamp'");
    }

    @Test
    void deadLettersAnythingButExactlyOneObjectInStrictUtf8() {
        assertDeadLettered(utf8(VALID + "trailing"), "trailing-data", "after the JSON object");
        assertDeadLettered(utf8(VALID + VALID), "trailing-data", "after the JSON object");
        assertDeadLettered(VALID.getBytes(StandardCharsets.UTF_16LE), "not-utf8", "NUL byte");
        assertDeadLettered(VALID.getBytes(StandardCharsets.UTF_16), "not-utf8", "not strict UTF-8");
        byte[] overlong = utf8(VALID.replace("key-a", "key-?"));
        int at = new String(overlong, StandardCharsets.US_ASCII).indexOf('?');
        byte[] withOverlong = new byte[overlong.length + 1];
        System.arraycopy(overlong, 0, withOverlong, 0, at);
        // 'a' as the overlong two-byte sequence C1 A1
        withOverlong[at] = (byte) 0xc1;
        withOverlong[at + 1] = (byte) 0xa1;
        System.arraycopy(overlong, at + 1, withOverlong, at + 2, overlong.length - at - 1);
        assertDeadLettered(withOverlong, "not-utf8", "overlong");
        assertDeadLettered(utf8(VALID.replace("{", "{\"keyId\":\"key-b\",")), "duplicate-field", "keyId");
    }

    @Test
    void deadLettersOverlongKeyIdsAndControlCharactersInAnyField() {
        assertDeadLettered(utf8(VALID.replace("key-a", "k".repeat(200_000))), "too-large", "larger than");
        assertDeadLettered(utf8(VALID.replace("key-a", "k".repeat(257))), "field-invalid",
                "field 'keyId' is 257 characters long");
        assertDeadLettered(utf8(VALID.replace("{", "{\"userAgent\":\"x\\r\\nFAKE LOG LINE\",")), "field-invalid",
                "field 'userAgent'");
        assertDeadLettered(utf8(VALID.replace("{", "{\"path\":\"/a\\u202eb\",")), "field-invalid", "field 'path'");
        assertDeadLettered(utf8(VALID.replace("{", "{\"clientIp\":\"attacker.example.com\",")), "field-invalid",
                "field 'clientIp'");
        assertDeadLettered(utf8(VALID.replace("{", "{\"status\":-1,")), "field-invalid", "field 'status'");
    }

    /** Sends the value, then an ordinary event: the value is dead-lettered unchanged, the event counted. */
    private void assertDeadLettered(byte[] value, String code, String reasonPart) {
        fixture.usageEvents.pipeInput("key-a", value, T0);
        int before = requests();
        fixture.send(fixture.event("key-a", T0.plusSeconds(2)));

        List<TestRecord<String, byte[]>> dead = new ArrayList<>(fixture.deadLetters.readRecordsToList());
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(value);
        assertThat(header(dead.get(0), DeadLetter.REASON_CODE_HEADER)).isEqualTo(code);
        assertThat(header(dead.get(0), DeadLetter.REASON_HEADER)).contains(reasonPart).hasSizeLessThan(400)
                .doesNotContain("\u0000", "\r", "\n", "\u202e");
        assertThat(header(dead.get(0), DeadLetter.ORIGIN_HEADER)).startsWith(fixture.settings.topics().usageEvents());
        assertThat(requests()).isEqualTo(before + 1);
    }

    private int requests() {
        var usage = fixture.usageAt("key-a", T0);
        return usage == null ? 0 : (int) usage.requests();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String header(TestRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
