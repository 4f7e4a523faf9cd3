package io.keywatch.api.input;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.api.alerts.AlertCursor;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText.Kind;
import io.keywatch.api.keys.KeyPage;
import java.time.Instant;

/**
 * Any token at all, forged checksums included: {@link CursorCodec} (and the alert and key cursors built on it)
 * answer with parts that are safe to bind into SQL, or with an {@link IllegalArgumentException} (a 400), never
 * anything else. Half the inputs are tokens with a correct checksum around fuzzed parts.
 */
class CursorCodecFuzzTest {

    @FuzzTest
    void everyTokenIsValidPartsOrAnIllegalArgument(FuzzedDataProvider data) {
        String token = data.consumeBoolean()
                ? CursorCodec.encode(data.pickValue(new String[] {"v1", "k1", "a1"}), data.consumeString(80),
                        data.consumeString(80))
                : data.consumeRemainingAsString();
        try {
            for (String part : CursorCodec.decode(token, "a1", 2)) {
                assertThat(part).isNotEmpty();
                assertThat(InputText.problem(part, Kind.SINGLE_LINE, RequestParams.MAX_ID_LENGTH)).isNull();
            }
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("cursor is not valid");
        }
        try {
            AlertCursor cursor = AlertCursor.decode(token);
            assertThat(InputInstants.inRange(cursor.detectedAt())).isTrue();
            assertThat(AlertCursor.decode(cursor.encode())).isEqualTo(cursor);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("cursor is not valid");
        }
        try {
            String keyId = KeyPage.CURSOR.decode(token);
            assertThat(KeyPage.CURSOR.decode(KeyPage.CURSOR.encode(keyId))).isEqualTo(keyId);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("cursor is not valid");
        }
        try {
            Instant instant = CursorCodec.instant(data.consumeString(70));
            assertThat(InputInstants.inRange(instant)).isTrue();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).startsWith("cursor is not valid");
        }
    }
}
