package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void escapesControlCharactersLoneSurrogatesAndBackslashes() {
        assertThat(SafeText.quote("k\u0000ey\n\\x\ud800")).isEqualTo("k\\u0000ey\\u000a\\\\x\\ud800");
        assertThat(SafeText.quote("caf\u00e9 \ud83d\ude00")).isEqualTo("caf\u00e9 \ud83d\ude00");
        assertThat(SafeText.quote(null)).isEqualTo("null");
    }

    @Test
    void cutsLongValuesWithAnEllipsis() {
        assertThat(SafeText.quote("x".repeat(1_000_000), 10)).isEqualTo("x".repeat(10) + "…");
        assertThat(SafeText.quote("\u0000".repeat(100), 12)).hasSize(13).endsWith("…");
    }

    @Test
    void describesAFailureByClassAndQuotedMessage() {
        String described = SafeText.describe(new IllegalArgumentException("bad\u0000" + "y".repeat(500)), 100);

        assertThat(described).startsWith("java.lang.IllegalArgumentException: bad\\u0000y").hasSizeLessThanOrEqualTo(101);
    }
}
