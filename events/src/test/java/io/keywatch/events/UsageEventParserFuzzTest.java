package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Any bytes at all: the parser answers with an event within every limit of the contract, or a reason code and a
 * reason that is safe to show, and never throws. {@code mvn verify} replays the committed inputs in
 * {@code src/test/resources/io/keywatch/events/UsageEventParserFuzzTestInputs} (one per adversarial case of issue
 * #10); README: Fuzzing. The checks here are written apart from the parser's, so they do not share its mistakes.
 */
class UsageEventParserFuzzTest {

    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:.]{2,45}");
    private static final JsonFactory JSON = new JsonFactory();

    private final UsageEventParser parser = new UsageEventParser();

    @FuzzTest
    void everyInputIsAnEventOrAReason(byte[] input) {
        check(parser.parse(input));
    }

    /** Well-formed JSON objects with fuzzed field values, to reach every field's checks. */
    @FuzzTest
    void everyFuzzedEventIsWithinTheLimitsOrRejected(FuzzedDataProvider data) {
        check(parser.parse(fuzzedEvent(data)));
    }

    private static void check(UsageEventParser.Result result) {
        assertThat(result).isNotNull();
        if (result instanceof UsageEventParser.Invalid invalid) {
            assertThat(invalid.code()).isNotNull();
            assertThat(invalid.reason()).isNotBlank().hasSizeLessThan(600);
            assertPrintable("reason", invalid.reason(), true);
            return;
        }
        UsageEvent event = ((UsageEventParser.Valid) result).event();
        assertText("keyId", event.keyId(), 1, 256, false);
        assertText("eventId", event.eventId(), 1, 128, true);
        assertText("service", event.service(), 1, 128, true);
        assertThat(event.eventId().isBlank()).isFalse();
        assertThat(event.service().isBlank()).isFalse();
        if (event.method() != null) {
            assertThat(event.method()).matches("[A-Za-z0-9!#$%&'*+\\-.^_`|~]{1,32}");
        }
        assertText("path", event.path(), 0, 2048, true);
        assertText("userAgent", event.userAgent(), 0, 512, true);
        assertText("scope", event.scope(), 0, 256, true);
        assertThat(event.timestamp()).isBetween(java.time.Instant.parse("2000-01-01T00:00:00Z"),
                java.time.Instant.parse("2099-12-31T23:59:59.999999999Z"));
        if (event.status() != null) {
            assertThat(event.status()).isBetween(100, 599);
        }
        if (event.latencyMs() != null) {
            assertThat(event.latencyMs()).isBetween(0, 86_400_000);
        }
        if (event.country() != null) {
            assertThat(event.country()).matches("[A-Z]{2}");
        }
        if (event.clientIp() != null) {
            assertIpLiteral(event.clientIp());
        }
    }

    private static void assertText(String field, String value, int min, int max, boolean spaces) {
        if (value == null) {
            return;
        }
        assertThat(value.length()).as(field).isBetween(min, max);
        assertPrintable(field, value, spaces);
    }

    /** No C0/C1 control, DEL, format (bidi, zero-width, BOM), line/paragraph separator or unpaired surrogate. */
    private static void assertPrintable(String field, String value, boolean spaces) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            assertThat(c < 0x20 || (c >= 0x7f && c <= 0x9f)).as(field + " control at " + i).isFalse();
            assertThat(c == 0x2028 || c == 0x2029 || c == 0xfeff || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
                    .as(field + " format or separator at " + i).isFalse();
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
                        .as(field + " unpaired surrogate at " + i).isTrue();
                i++;
            } else {
                assertThat(Character.isLowSurrogate(c)).as(field + " unpaired surrogate at " + i).isFalse();
            }
            if (!spaces) {
                assertThat(Character.isWhitespace(c) || Character.isSpaceChar(c)).as(field + " space at " + i).isFalse();
            }
        }
    }

    /** IPv4 by pattern; IPv6 by the JDK's literal parser (a string with ':' is never looked up in DNS). */
    private static void assertIpLiteral(String ip) {
        if (IPV4.matcher(ip).matches()) {
            for (String octet : ip.split("\\.")) {
                assertThat(Integer.parseInt(octet)).isLessThanOrEqualTo(255);
            }
            return;
        }
        assertThat(ip).contains(":").matches(IPV6_CHARS);
        try {
            assertThat(InetAddress.getByName(ip).getAddress()).hasSizeBetween(4, 16);
        } catch (UnknownHostException e) {
            throw new AssertionError("accepted clientIp '" + ip + "' is no IPv6 literal for the JDK", e);
        }
    }

    private static byte[] fuzzedEvent(FuzzedDataProvider data) {
        StringWriter out = new StringWriter();
        boolean asciiOnly = data.consumeBoolean();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            if (asciiOnly) {
                // every non-ASCII character as a \\uXXXX escape: lone surrogates included
                json.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
            }
            json.writeStartObject();
            String[] fields = {"eventId", "keyId", "timestamp", "service", "method", "path", "status", "authResult",
                    "clientIp", "userAgent", "country", "latencyMs", "scope", "tls", "credentialLocation", "other"};
            int count = data.consumeInt(0, 20);
            for (int i = 0; i < count && data.remainingBytes() > 0; i++) {
                String field = data.pickValue(fields);
                json.writeFieldName(field);
                switch (data.consumeInt(0, 5)) {
                    case 0 -> json.writeNumber(data.consumeInt());
                    case 1 -> json.writeNumber(data.consumeLong());
                    case 2 -> json.writeBoolean(data.consumeBoolean());
                    case 3 -> json.writeNull();
                    case 4 -> json.writeString(data.pickValue(new String[] {"OK", "INVALID_SECRET", "HEADER",
                            "2026-03-02T10:00:00Z", "1999-12-31T23:59:59Z", "+1000000000-01-01T00:00:00Z", "GET",
                            "de", "DE", "::1", "10.0.0.1", "k1", "e1", "s"}));
                    default -> json.writeString(data.consumeString(300));
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
