package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void escapesEverythingThatCouldForgeOrReorderALogLine() {
        assertThat(SafeText.escape("a\nb\rc\td\\e'f\u0000g\u001bh\u007fi\u0085j\u202ek\u2028l\ufeffm\ud800n", 200))
                .isEqualTo("a\\nb\\rc\\td\\\\e\\'f\\u0000g\\u001bh\\u007fi\\u0085j\\u202ek\\u2028l\\ufeffm\\ud800n");
        assertThat(SafeText.escape("caf\u00e9 \u4e2d", 200)).isEqualTo("caf\u00e9 \u4e2d");
    }

    @Test
    void boundsTheEscapedTextNotTheInput() {
        assertThat(SafeText.escape("x".repeat(100), 40)).isEqualTo("x".repeat(40) + "...");
        assertThat(SafeText.escape("\u0000".repeat(100), 40)).isEqualTo("\\u0000".repeat(6) + "...");
        assertThat(SafeText.escape("x".repeat(40), 40)).isEqualTo("x".repeat(40));
        assertThat(SafeText.quote("k".repeat(300))).hasSize(45).startsWith("'k").endsWith("...'");
        assertThat(SafeText.quote(null)).isEqualTo("null");
    }

    @Test
    void showsASecretLookingTokenOnlyAsItsFormatBeforeCutting() {
        var samples = new io.keywatch.events.secrets.SecretSamples(11);
        String stripe = samples.stripeSecret();
        String github = samples.github("p");
        String jwt = samples.jwt();
        assertThat(SafeText.quote(stripe + "\n")).isEqualTo("'redacted:stripe-secret-key\\n'");
        assertThat(SafeText.escape("Unrecognized token '" + stripe + "': was expecting", 200))
                .isEqualTo("Unrecognized token \\'redacted:stripe-secret-key\\': was expecting");
        assertThat(SafeText.escape("token:" + github + " key=" + stripe + ", jwt " + jwt, 200))
                .isEqualTo("token:redacted:github-token key=redacted:stripe-secret-key, jwt redacted:jwt");
        // a token Jackson cut and marked with "..."
        assertThat(SafeText.escape("'" + stripe.substring(0, 30) + "...'", 200)).doesNotContain(stripe.substring(8, 30));
        assertThat(SafeText.escape("/v1/invoices/inv_123?limit=10 key_live_42", 200))
                .isEqualTo("/v1/invoices/inv_123?limit=10 key_live_42");
    }

    @Test
    void describesAFailureByClassAndEscapedMessage() {
        String described = SafeText.describe(new IllegalArgumentException("bad\u0000" + "y".repeat(500)), 100);

        assertThat(described).startsWith("java.lang.IllegalArgumentException: bad\\u0000y").hasSizeLessThanOrEqualTo(103);
    }

    @Test
    void previewsTextAndSaysHowMuchWasLeftOut() {
        assertThat(SafeText.preview("x".repeat(1_000), 10)).isEqualTo("xxxxxxxxxx\u2026(+990 chars)");
        assertThat(SafeText.preview("\u001b[31m\u202e", 100)).isEqualTo("\\u001b[31m\\u202e");
        assertThat(SafeText.preview("y".repeat(200_000).getBytes(StandardCharsets.UTF_8), 5))
                .isEqualTo("yyyyy\u2026(200000 bytes)");
        assertThat(SafeText.preview((String) null, 5)).isEqualTo("null");
    }

    @Test
    void flagsInvalidUtf8ButNotACharacterCutByThePreviewWindow() {
        assertThat(SafeText.preview(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 50)).endsWith("[not valid UTF-8]");
        assertThat(SafeText.isValidUtf8(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 3)).isFalse();
        byte[] euros = "\u20ac".repeat(100).getBytes(StandardCharsets.UTF_8); // 3 bytes each: the window cuts one
        assertThat(SafeText.preview(euros, 5)).isEqualTo("\u20ac".repeat(5) + "\u2026(300 bytes)");
        assertThat(SafeText.preview((byte[]) null, 5)).isEqualTo("null");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 20, unit = java.util.concurrent.TimeUnit.SECONDS)
    void echoesHalfAMegabyteOfAdversarialTextWithoutStalling() {
        for (String text : io.keywatch.events.secrets.AdversarialText.shapes(512 * 1024)) {
            assertThat(SafeText.quote(text)).endsWith("...'");
            assertThat(SafeText.preview(text, 80)).contains("chars)");
        }
    }

    @Test
    void redactsTheWindowItShowsAndMarksTheCutBeyondIt() {
        String stripe = new io.keywatch.events.secrets.SecretSamples(12).stripeSecret();
        // a long secret early in a huge value: shown as its format, and the value is marked as cut
        assertThat(SafeText.escape(stripe + " " + "x ".repeat(40_000), 60)).startsWith("redacted:stripe-secret-key x")
                .endsWith("...");
        assertThat(SafeText.quote("a".repeat(5) + " " + stripe)).doesNotContain(stripe.substring(8, 20));
        assertThat(SafeText.preview("id " + stripe + " tail", 200)).isEqualTo("id redacted:stripe-secret-key tail");
        assertThat(SafeText.preview(("id " + stripe).getBytes(StandardCharsets.UTF_8), 200))
                .isEqualTo("id redacted:stripe-secret-key");
    }
}
