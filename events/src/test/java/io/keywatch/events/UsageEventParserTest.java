package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageEventParserTest {

    private final UsageEventParser parser = new UsageEventParser();

    private static final String FULL = """
            {"eventId":"3f1e9a52-0a4b-4c1e-9d2a-1b2c3d4e5f60","keyId":"key_live_123",
             "timestamp":"2026-11-27T19:00:00.123Z","service":"billing","method":"GET",
             "path":"/v1/invoices/{id}","status":200,"authResult":"OK","clientIp":"203.0.113.7",
             "userAgent":"curl/8.5","country":"DE","latencyMs":42,"scope":"invoices:read","tls":true,
             "credentialLocation":"HEADER","somethingNew":{"ignored":true}}
            """;

    @Test
    void readsEveryFieldOfTheContract() {
        UsageEventParser.Result result = parser.parse(FULL);

        assertThat(result).isInstanceOf(UsageEventParser.Valid.class);
        UsageEvent event = ((UsageEventParser.Valid) result).event();
        assertThat(event.keyId()).isEqualTo("key_live_123");
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-27T19:00:00.123Z"));
        assertThat(event.status()).isEqualTo(200);
        assertThat(event.authResult()).isEqualTo(AuthResult.OK);
        assertThat(event.tls()).isTrue();
        assertThat(event.credentialLocation()).isEqualTo(CredentialLocation.HEADER);
        assertThat(event.latencyMs()).isEqualTo(42);
    }

    @Test
    void acceptsTheRequiredFieldsAlone() {
        var result = parser.parse("""
                {"eventId":"e1","keyId":"k1","timestamp":"2026-11-27T19:00:00Z","service":"s","authResult":"INVALID_SECRET"}
                """);
        assertThat(result).isInstanceOf(UsageEventParser.Valid.class);
    }

    @Test
    void rejectsInvalidJsonWithAReason() {
        assertThat(reason("{not json")).startsWith("not valid JSON");
        assertThat(reason("[1,2]")).contains("expected a JSON object");
        assertThat(reason("")).isEqualTo("empty record value");
    }

    @Test
    void namesTheMissingRequiredField() {
        assertThat(reason("""
                {"eventId":"e1","timestamp":"2026-11-27T19:00:00Z","service":"s","authResult":"OK"}
                """)).isEqualTo("missing required field 'keyId'");
    }

    @Test
    void rejectsValuesOfTheWrongType() {
        assertThat(reason("""
                {"eventId":"e1","keyId":"k","timestamp":"2026-11-27T19:00:00Z","service":"s","authResult":"OK","status":"200"}
                """)).startsWith("field 'status' must be an integer");
        assertThat(reason("""
                {"eventId":"e1","keyId":"k","timestamp":"2026-11-27T19:00:00Z","service":"s","authResult":"OK","tls":"yes"}
                """)).startsWith("field 'tls' must be a boolean");
        assertThat(reason("""
                {"eventId":"e1","keyId":"k","timestamp":"yesterday","service":"s","authResult":"OK"}
                """)).startsWith("field 'timestamp' must be an ISO-8601 UTC instant");
        assertThat(reason("""
                {"eventId":"e1","keyId":"k","timestamp":"2026-11-27T19:00:00Z","service":"s","authResult":"MAYBE"}
                """)).contains("unknown value 'MAYBE'");
    }

    @Test
    void refusesInputThatIsNotStrictUtf8() {
        byte[] valid = MINIMAL.getBytes(StandardCharsets.UTF_8);
        assertThat(code(concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, valid))).isEqualTo(RejectCode.NOT_UTF8);
        assertThat(code(MINIMAL.getBytes(StandardCharsets.UTF_16LE))).isEqualTo(RejectCode.NOT_UTF8);
        assertThat(code(MINIMAL.getBytes(StandardCharsets.UTF_16BE))).isEqualTo(RejectCode.NOT_UTF8);
        assertThat(code(MINIMAL.getBytes(StandardCharsets.UTF_16))).isEqualTo(RejectCode.NOT_UTF8);
        assertThat(code(MINIMAL.getBytes(Charset.forName("UTF-32")))).isEqualTo(RejectCode.NOT_UTF8);
        // "k1" with its 'k' as the overlong two-byte form C1 AB
        byte[] overlong = MINIMAL.replace("\"k1\"", "\"\u0001\"").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(overlong, (byte) 1);
        byte[] withOverlong = concat(Arrays.copyOf(overlong, at), new byte[] {(byte) 0xc1, (byte) 0xab},
                Arrays.copyOfRange(overlong, at + 1, overlong.length));
        assertThat(code(withOverlong)).isEqualTo(RejectCode.NOT_UTF8);
        // a surrogate encoded as UTF-8 (CESU-8) and a lone continuation byte
        assertThat(code(MINIMAL.replace("k1", "k\ufffd").getBytes(StandardCharsets.UTF_8))).isNull();
        byte[] cesu = MINIMAL.replace("k1", "kX").getBytes(StandardCharsets.UTF_8);
        int x = indexOf(cesu, (byte) 'X');
        assertThat(code(concat(Arrays.copyOf(cesu, x), new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                Arrays.copyOfRange(cesu, x + 1, cesu.length)))).isEqualTo(RejectCode.NOT_UTF8);
        assertThat(code(concat(valid, new byte[] {(byte) 0x80}))).isEqualTo(RejectCode.NOT_UTF8);
    }

    @Test
    void refusesAnythingButExactlyOneObject() {
        assertThat(code(MINIMAL + "x")).isEqualTo(RejectCode.TRAILING_DATA);
        assertThat(code(MINIMAL + MINIMAL)).isEqualTo(RejectCode.TRAILING_DATA);
        assertThat(code(MINIMAL + " 1")).isEqualTo(RejectCode.TRAILING_DATA);
        assertThat(code(MINIMAL + " \n\t ")).isNull();
        assertThat(code("[1,2]")).isEqualTo(RejectCode.NOT_AN_OBJECT);
        assertThat(code("\"just a string\"")).isEqualTo(RejectCode.NOT_AN_OBJECT);
        assertThat(code("{not json")).isEqualTo(RejectCode.INVALID_JSON);
        assertThat(code(MINIMAL.substring(0, MINIMAL.length() - 1))).isEqualTo(RejectCode.INVALID_JSON);
        assertThat(code("")).isEqualTo(RejectCode.EMPTY);
    }

    @Test
    void refusesDuplicateFieldNames() {
        assertThat(code(MINIMAL.replace("{", "{\"keyId\":\"other\","))).isEqualTo(RejectCode.DUPLICATE_FIELD);
        assertThat(reason(MINIMAL.replace("{", "{\"keyId\":\"other\","))).contains("keyId");
        assertThat(code(MINIMAL.replace("{", "{\"x\":{\"a\":1,\"a\":2},"))).isEqualTo(RejectCode.DUPLICATE_FIELD);
    }

    @Test
    void boundsSizeNestingAndLengths() {
        String big = MINIMAL.replace("{", "{\"pad\":\"" + "a".repeat(UsageEventLimits.MAX_RECORD_BYTES) + "\",");
        assertThat(code(big)).isEqualTo(RejectCode.TOO_LARGE);
        String deep = MINIMAL.replace("{", "{\"x\":" + "[".repeat(40) + "]".repeat(40) + ",");
        assertThat(code(deep)).isEqualTo(RejectCode.TOO_LARGE);
        String longNumber = MINIMAL.replace("{", "{\"x\":" + "1".repeat(100) + ",");
        assertThat(code(longNumber)).isEqualTo(RejectCode.TOO_LARGE);
        String longName = MINIMAL.replace("{", "{\"" + "n".repeat(300) + "\":1,");
        assertThat(code(longName)).isEqualTo(RejectCode.TOO_LARGE);
        // unknown fields within the limits are still ignored
        assertThat(code(MINIMAL.replace("{", "{\"x\":{\"y\":[1,2,{\"z\":null}]},"))).isNull();
    }

    @Test
    void keyIdIsPrintableAndAtMost256Characters() {
        assertThat(code(withKeyId("k".repeat(256)))).isNull();
        assertThat(code(withKeyId("k".repeat(200_000)))).isEqualTo(RejectCode.TOO_LARGE);
        assertThat(reason(withKeyId("k".repeat(20_000)))).startsWith("field 'keyId' is 20000 characters long")
                .hasSizeLessThan(200);
        assertThat(code(withKeyId("k".repeat(257)))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(reason(withKeyId("k\\u0000ey"))).startsWith("field 'keyId' must be printable")
                .contains("U+0000").doesNotContain("\u0000");
        for (String bad : List.of("\\u0007", "\\u007f", "\\u0085", "\\u009b", "\\u202e", "\\u2066", "\\u200b",
                "\\ufeff", "\\u2028", "\\ud800", "\\udc00x", " ", "\\u00a0", "\\t", "\\n")) {
            assertThat(code(withKeyId("key" + bad + "id"))).as(bad).isEqualTo(RejectCode.FIELD_INVALID);
        }
        assertThat(code(withKeyId(""))).isEqualTo(RejectCode.FIELD_INVALID);
        // a paired surrogate (an emoji) and non-Latin letters are printable
        assertThat(code(withKeyId("key-\\ud83d\\ude00-\u00e9\u4e2d"))).isNull();
    }

    @Test
    void capsAndCleansEveryOtherString() {
        assertThat(code(MINIMAL.replace("\"e1\"", "\"" + "e".repeat(129) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(MINIMAL.replace("\"s\"", "\"" + "s".repeat(129) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(MINIMAL.replace("\"e1\"", "\"  \""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("method", "\"GET\""))).isNull();
        assertThat(code(with("method", "\"G ET\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("method", "\"" + "M".repeat(33) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("path", "\"/" + "p".repeat(2048) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("path", "\"/a\\r\\nInjected: yes\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("userAgent", "\"curl/8 (x)\""))).isNull();
        assertThat(code(with("userAgent", "\"" + "u".repeat(513) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("userAgent", "\"evil\\u001b[31m\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("scope", "\"" + "s".repeat(257) + "\""))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("scope", "\"a\\u202eb\""))).isEqualTo(RejectCode.FIELD_INVALID);
    }

    @Test
    void timestampsAreWithinASaneRange() {
        assertThat(code(withTimestamp("+1000000000-01-01T00:00:00Z"))).isEqualTo(RejectCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(code(withTimestamp("-1000000000-01-01T00:00:00Z"))).isEqualTo(RejectCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(code(withTimestamp("1969-12-31T23:59:59Z"))).isEqualTo(RejectCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(code(withTimestamp("1999-12-31T23:59:59.999Z"))).isEqualTo(RejectCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(code(withTimestamp("2100-01-01T00:00:00Z"))).isEqualTo(RejectCode.TIMESTAMP_OUT_OF_RANGE);
        assertThat(code(withTimestamp("2000-01-01T00:00:00Z"))).isNull();
        assertThat(code(withTimestamp("2099-12-31T23:59:59.999Z"))).isNull();
        assertThat(code(withTimestamp("2026-11-27T19:00:00" + "0".repeat(80) + "Z"))).isEqualTo(RejectCode.FIELD_INVALID);
    }

    @Test
    void numbersAreWithinTheirRanges() {
        assertThat(code(with("status", "99"))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("status", "600"))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("status", "100"))).isNull();
        assertThat(code(with("status", "599"))).isNull();
        assertThat(code(with("status", "200.5"))).isEqualTo(RejectCode.WRONG_TYPE);
        assertThat(code(with("status", "99999999999999999999"))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("latencyMs", "-1"))).isEqualTo(RejectCode.FIELD_INVALID);
        assertThat(code(with("latencyMs", "0"))).isNull();
        assertThat(code(with("latencyMs", "86400001"))).isEqualTo(RejectCode.FIELD_INVALID);
    }

    @Test
    void clientIpIsAnAddressLiteral() {
        for (String ok : List.of("203.0.113.7", "0.0.0.0", "255.255.255.255", "::", "::1", "2001:db8::1",
                "2001:db8:0:0:0:0:2:1", "::ffff:192.0.2.1", "fe80::1:2:3:4", "1::")) {
            assertThat(code(with("clientIp", "\"" + ok + "\""))).as(ok).isNull();
        }
        for (String bad : List.of("", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4",
                "1.2.3.4 ", "::1::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "fe80::1%eth0", "[::1]",
                ":1:2:3:4:5:6:7", "1.2.3.4::", "\\u0661.1.1.1")) {
            assertThat(code(with("clientIp", "\"" + bad + "\""))).as(bad).isEqualTo(RejectCode.FIELD_INVALID);
        }
    }

    @Test
    void countryIsTwoAsciiLettersUpperCased() {
        UsageEventParser.Result lower = parser.parse(with("country", "\"de\""));
        assertThat(((UsageEventParser.Valid) lower).event().country()).isEqualTo("DE");
        for (String bad : List.of("D", "DEU", "D1", "\\u00c4E", "\\uff24\\uff25")) {
            assertThat(code(with("country", "\"" + bad + "\""))).as(bad).isEqualTo(RejectCode.FIELD_INVALID);
        }
    }

    @Test
    void reasonsEscapeAndCutEchoedValues() {
        String reason = reason(MINIMAL.replace("\"s\"", "\"\\u001b[2J" + "x".repeat(300) + "\""));
        assertThat(reason).doesNotContain("\u001b").contains("\\u001b").hasSizeLessThan(200);
        assertThat(reason(MINIMAL.replace("\"OK\"", "\"\\u202eKO\""))).contains("\\u202e").doesNotContain("\u202e");
    }

    @Test
    void reasonsNeverEchoASecretKeyIdNorPartOfIt() {
        String secret = new io.keywatch.events.secrets.SecretSamples(7).stripeSecret();
        String body = secret.substring("sk_live_".length(), "sk_live_".length() + 8);
        // a secret read from a file with its newline
        String newline = reason(withKeyId(secret + "\\n"));
        assertThat(newline).contains("U+000A").contains("index " + secret.length()).doesNotContain(body);
        assertThat(reason(withKeyId(secret + "k".repeat(300)))).contains("characters long").doesNotContain(body);
        assertThat(reason(withKeyId("\\u0007" + secret))).doesNotContain(body);
        // a valid secret key id with another field wrong: the other field's echo carries no secret either
        assertThat(reason(withKeyId(secret).replace("\"s\"", "\" \""))).doesNotContain(body);
        assertThat(reason(withKeyId(secret).replace("\"OK\"", "\"key=" + secret + "\""))).doesNotContain(body)
                .contains("redacted:");
        assertThat(reason(with("path", "\"/v1/" + secret + "\\u0000\""))).doesNotContain(body);
        // Jackson's own echo of an unquoted token: cut to the echo bound, and the secret replaced
        assertThat(reason(MINIMAL.replace("\"k1\"", secret))).startsWith("not valid JSON")
                .doesNotContain(body).contains("redacted:stripe-secret-key");
        assertThat(reason(MINIMAL.replace("\"k1\"", secret + "x".repeat(100)))).doesNotContain(body);
        assertThat(reason(MINIMAL.replace("\"k1\"", "k".repeat(300)))).doesNotContain("k".repeat(SafeText.ECHO_CHARS + 1));
    }

    private static final String MINIMAL =
            "{\"eventId\":\"e1\",\"keyId\":\"k1\",\"timestamp\":\"2026-11-27T19:00:00Z\",\"service\":\"s\",\"authResult\":\"OK\"}";

    private static String withKeyId(String jsonText) {
        return MINIMAL.replace("\"k1\"", "\"" + jsonText + "\"");
    }

    private static String withTimestamp(String text) {
        return MINIMAL.replace("2026-11-27T19:00:00Z", text);
    }

    private static String with(String field, String jsonValue) {
        return MINIMAL.replace("{", "{\"" + field + "\":" + jsonValue + ",");
    }

    private RejectCode code(String json) {
        return code(json.getBytes(StandardCharsets.UTF_8));
    }

    private RejectCode code(byte[] value) {
        UsageEventParser.Result result = parser.parse(value);
        return result instanceof UsageEventParser.Invalid invalid ? invalid.code() : null;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        throw new AssertionError("no byte " + b);
    }

    private String reason(String json) {
        UsageEventParser.Result result = parser.parse(json);
        assertThat(result).isInstanceOf(UsageEventParser.Invalid.class);
        return ((UsageEventParser.Invalid) result).reason();
    }
}
