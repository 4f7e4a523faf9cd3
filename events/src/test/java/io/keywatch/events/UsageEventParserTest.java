package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
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

    private String reason(String json) {
        UsageEventParser.Result result = parser.parse(json);
        assertThat(result).isInstanceOf(UsageEventParser.Invalid.class);
        return ((UsageEventParser.Invalid) result).reason();
    }
}
