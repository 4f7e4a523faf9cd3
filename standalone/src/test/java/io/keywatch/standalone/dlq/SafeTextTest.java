package io.keywatch.standalone.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void escapesWhatATerminalWouldInterpretOrHide() {
        assertThat(SafeText.escape("a\u0000b\u001b[31m\r\n\u0085\u202e\u200b\ufeff\\", 100))
                .isEqualTo("a\\u0000b\\u001b[31m\\u000d\\u000a\\u0085\\u202e\\u200b\\ufeff\\\\");
        assertThat(SafeText.escape("sk_é😀", 100)).isEqualTo("sk_é😀");
    }

    @Test
    void cutsToAPreviewAndSaysHowMuchWasLeftOut() {
        assertThat(SafeText.escape("x".repeat(1_000), 10)).isEqualTo("xxxxxxxxxx…(+990 chars)");
        assertThat(SafeText.preview("y".repeat(200_000).getBytes(StandardCharsets.UTF_8), 5))
                .isEqualTo("yyyyy…(200000 bytes)");
    }

    @Test
    void marksInvalidUtf8ButNotACharacterCutByThePreviewWindow() {
        assertThat(SafeText.preview(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 50)).endsWith("[not valid UTF-8]");
        byte[] euros = "€".repeat(100).getBytes(StandardCharsets.UTF_8); // 3 bytes each: the window cuts one
        assertThat(SafeText.preview(euros, 5)).isEqualTo("€€€€€…(300 bytes)");
        assertThat(SafeText.preview(null, 5)).isEqualTo("null");
    }
}
