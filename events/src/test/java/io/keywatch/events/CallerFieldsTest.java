package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * What an attacker writes into the fields a service copies from its request must not get the event dead-lettered:
 * after {@link CallerFields#fit} the parser accepts it, and detection still sees the request.
 */
class CallerFieldsTest {

    private final UsageEventParser parser = new UsageEventParser();
    private final JsonSerde<UsageEvent> serde = new JsonSerde<>(UsageEvent.class);

    @Test
    void hostileCallerFieldsAreFittedAndTheEventIsAccepted() {
        String userAgent = "curl/8.0\r\nX-Forged: 1\u200b\u202e" + "A".repeat(10_000) + "\ud83d";
        String path = "/v1/charges/\u0000\u2028" + "x".repeat(3_000);
        UsageEvent hostile = UsageEvent.of("e-1", "pk_live_1", Instant.parse("2026-12-06T10:00:00Z"), "billing",
                        AuthResult.INVALID_SECRET)
                .withRequest("GET /admin", path, 401)
                .withClient("203.0.113.9, 10.0.0.1", "DE", userAgent);
        assertThat(parser.parse(serde.toBytes(hostile))).as("as sent today: dead-lettered")
                .isInstanceOf(UsageEventParser.Invalid.class);

        UsageEvent fitted = CallerFields.fit(hostile);

        UsageEventParser.Result parsed = parser.parse(serde.toBytes(fitted));
        assertThat(parsed).isInstanceOf(UsageEventParser.Valid.class);
        UsageEvent seen = ((UsageEventParser.Valid) parsed).event();
        assertThat(seen.keyId()).isEqualTo("pk_live_1");
        assertThat(seen.authResult()).isEqualTo(AuthResult.INVALID_SECRET);
        assertThat(seen.userAgent()).hasSize(UsageEventLimits.MAX_USER_AGENT_CHARS)
                .startsWith("curl/8.0\ufffd\ufffdX-Forged: 1\ufffd\ufffdAAA");
        assertThat(seen.path()).hasSize(UsageEventLimits.MAX_PATH_CHARS).startsWith("/v1/charges/\ufffd\ufffdxxx");
        assertThat(seen.method()).as("not an HTTP token: dropped").isNull();
        assertThat(seen.clientIp()).as("not an address: dropped").isNull();
        assertThat(seen.country()).isEqualTo("DE");
        assertThat(seen.status()).isEqualTo(401);
    }

    @Test
    void anEventWithinTheContractIsLeftAlone() {
        UsageEvent fine = UsageEvent.of("e-2", "pk_live_2", Instant.parse("2026-12-06T10:00:00Z"), "billing",
                        AuthResult.OK)
                .withRequest("POST", "/v1/charges", 200)
                .withClient("2001:db8::1", "NL", "Mozilla/5.0 (X11; Linux x86_64) \u00e9\ud83d\ude00");
        assertThat(CallerFields.fit(fine)).isSameAs(fine);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\ud83d\ude00";
        String text = "a" + emoji.repeat(600);
        String cut = CallerFields.text(text, UsageEventLimits.MAX_USER_AGENT_CHARS);
        assertThat(cut.length()).isLessThanOrEqualTo(UsageEventLimits.MAX_USER_AGENT_CHARS);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        UsageEvent event = UsageEvent.of("e-3", "pk_live_3", Instant.parse("2026-12-06T10:00:00Z"), "billing",
                AuthResult.OK).withClient(null, null, text);
        assertThat(parser.parse(serde.toBytes(CallerFields.fit(event)))).isInstanceOf(UsageEventParser.Valid.class);
    }
}
