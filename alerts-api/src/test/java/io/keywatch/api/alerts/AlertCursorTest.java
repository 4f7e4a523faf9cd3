package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class AlertCursorTest {

    private final AlertCursor cursor = new AlertCursor(Instant.parse("2026-11-27T19:00:00.123456Z"), "alert-42");

    @Test
    void roundTripsThroughItsOpaqueUrlSafeForm() {
        String token = cursor.encode();

        assertThat(token).matches("[A-Za-z0-9_-]+");
        assertThat(AlertCursor.decode(token)).isEqualTo(cursor);
    }

    @Test
    void rejectsAnEditedToken() {
        String text = new String(Base64.getUrlDecoder().decode(cursor.encode()), StandardCharsets.UTF_8);
        String edited = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(text.replace("alert-42", "alert-43").getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> AlertCursor.decode(edited))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void rejectsGarbageTruncationAndNonBase64() {
        String token = cursor.encode();
        for (String bad : new String[] {"abc", token.substring(0, token.length() - 3), "!!!not-base64!!!", "",
                Base64.getUrlEncoder().encodeToString("v1\nnot-a-time\nx".getBytes(StandardCharsets.UTF_8))}) {
            assertThatThrownBy(() -> AlertCursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
