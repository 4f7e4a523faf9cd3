package io.keywatch.streams.redact;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.secrets.FingerprintKey;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class DeadLetterRedactorTest {

    private static final String STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";
    private static final int MAX_VALUE = 512 * 1024;

    private final DeadLetterRedactor redactor = new DeadLetterRedactor(FingerprintKey.random());

    /** Before the fix "-----a" repeated took minutes: the stream thread missed max.poll.interval and met it again. */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void redactsHalfAMegabyteOfAdversarialValueWithoutStalling() {
        for (String piece : List.of("-----a", "-----BEGIN ", "eyJ", "eyJ.", "sk_live_", "sk_live_ ", "aB3+/",
                "\\u0073k_live_", "\\/", "-\u0000-\u0000")) {
            byte[] value = piece.repeat(MAX_VALUE / piece.length()).getBytes(StandardCharsets.ISO_8859_1);
            redactor.value(value);
        }
    }

    @Test
    void fingerprintsASecretInPlaceAndLeavesOtherValuesAlone() {
        byte[] plain = "{\"keyId\": \"key_live_42\", \"path\": \"/v1/charges\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.value(plain)).isSameAs(plain);
        String redacted = new String(redactor.value(("{\"keyId\": \"" + STRIPE + "\"}").getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        assertThat(redacted).startsWith("{\"keyId\": \"redacted:stripe-secret-key:").doesNotContain(STRIPE);
    }

    @Test
    void leavesOutAValueThatSpellsASecretWithJsonEscapes() {
        // every character of the prefix escaped: no token of the raw text looks like anything
        String escaped = "\\u0073\\u006b\\u005f\\u006c\\u0069\\u0076\\u0065\\u005f" + STRIPE.substring(8);
        assertThat(redactor.value(("{\"keyId\": \"" + escaped + "\"}").getBytes(StandardCharsets.UTF_8))).isNull();
        String webhook = "https:\\/\\/hooks.slack.com\\/services\\/T00000000\\/B00000000\\/XXXXXXXXXXXXXXXXXXXXXXXX";
        assertThat(redactor.value(("{\"url\": \"" + webhook + "\"}").getBytes(StandardCharsets.UTF_8))).isNull();
        // escapes without a secret behind them: the value is kept
        byte[] harmless = "{\"path\": \"\\/v1\\/charges\", \"ua\": \"caf\\u00e9 client\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(redactor.value(harmless)).isSameAs(harmless);
    }

    @Test
    void leavesOutAUtf16OrUtf32ValueThatHoldsASecret() {
        for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            byte[] value = ("{\"keyId\": \"" + STRIPE + "\"}").getBytes(Charset.forName(charset));
            assertThat(redactor.value(value)).as(charset).isNull();
            byte[] harmless = "{\"keyId\": \"key_live_42\", \"n\": 1}".getBytes(Charset.forName(charset));
            assertThat(redactor.value(harmless)).as(charset).isSameAs(harmless);
        }
    }

    @Test
    void redactsTheCopiedHeadersButNotKeywatchsOwn() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("authorization", ("Bearer " + STRIPE).getBytes(StandardCharsets.UTF_8));
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        DeadLetter.mark(headers, "usage-events-0@1", "bad", "malformed-json");
        assertThat(redactor.headers(headers)).isTrue();
        assertThat(new String(headers.lastHeader("authorization").value(), StandardCharsets.UTF_8))
                .startsWith("Bearer redacted:stripe-secret-key:");
        assertThat(headers.lastHeader("trace").value()).asString().isEqualTo("abc");
        assertThat(headers.lastHeader(DeadLetter.REASON_HEADER).value()).asString().isEqualTo("bad");
        assertThat(redactor.headers(headers)).isFalse();

        DeadLetterRedactor.mark(headers, false, true, true);
        assertThat(headers.lastHeader(DeadLetter.REDACTED_HEADER).value()).asString().isEqualTo("value,headers");
        DeadLetterRedactor.mark(headers, true, true, true);
        assertThat(headers.lastHeader(DeadLetter.REDACTED_HEADER).value()).asString().isEqualTo("key,value,headers");
        DeadLetterRedactor.mark(headers, false, false, false);
        assertThat(headers.lastHeader(DeadLetter.REDACTED_HEADER)).isNull();
    }
}
