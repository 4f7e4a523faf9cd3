package io.keywatch.api.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.errors.InvalidInputException;
import io.keywatch.api.input.InputText.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InputTextTest {

    @Test
    void acceptsPrintableTextAndPairedSurrogates() {
        assertThat(InputText.problem("key_live_42 ünïcødé 🔑", Kind.SINGLE_LINE, 256)).isNull();
        assertThat(InputText.problem("line one\nline two\r\n\tindented", Kind.MULTI_LINE, 256)).isNull();
    }

    @Test
    void refusesNulControlCharactersAndLineBreaksInSingleLineFields() {
        for (String bad : new String[] {"a\u0000b", "a\u0001b", "a\u007fb", "a\u0085b", "a\nb", "a\tb", "a\u2028b",
            "a\u202eb", "a\u200bb", "a\ufffeb"}) {
            assertThat(InputText.problem(bad, Kind.SINGLE_LINE, 256)).as(bad).isNotNull();
        }
    }

    @Test
    void freeTextKeepsLineBreaksAndTabsButNotNulOrBidiOverrides() {
        assertThat(InputText.problem("a\u0000b", Kind.MULTI_LINE, 256)).contains("\\u0000");
        assertThat(InputText.problem("a\u202eb", Kind.MULTI_LINE, 256)).isNotNull();
        assertThat(InputText.problem("a\u200db", Kind.MULTI_LINE, 256)).isNull();
    }

    @Test
    void refusesUnpairedSurrogates() {
        assertThat(InputText.problem("a\ud800", Kind.MULTI_LINE, 256)).contains("unpaired surrogate");
        assertThat(InputText.problem("\udc00a", Kind.MULTI_LINE, 256)).contains("unpaired surrogate");
        assertThat(InputText.problem("\ud800\ud800", Kind.MULTI_LINE, 256)).contains("unpaired surrogate");
    }

    @Test
    void refusesOverLongValuesNamingTheLimit() {
        assertThatThrownBy(() -> InputText.require("keyId", "k".repeat(257), Kind.SINGLE_LINE, 256))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("keyId must be at most 256 characters, got 257");
    }

    @Test
    void quotesValuesEscapedAndCut() {
        assertThat(InputText.quote("a\u0000'b")).isEqualTo("'a\\u0000\\'b'");
        assertThat(InputText.quote("x".repeat(100))).isEqualTo("'" + "x".repeat(40) + "...'");
        // SafeText's rule: a secret is shown only as its format, not even its first characters
        String secret = "sk_" + "live_" + "Qr7" + "x9Kd2LmPq4RsTv8WyZa1Bc3";
        assertThat(InputText.quote("no key " + secret)).isEqualTo("'no key redacted:stripe-secret-key'");
        assertThat(InputText.escape(null, 10)).isEmpty();
    }

    @Test
    void instantsLieBetween1970And9999() {
        assertThat(InputInstants.parseOrNull("2026-11-27T19:00:00+01:00"))
                .isEqualTo(Instant.parse("2026-11-27T18:00:00Z"));
        assertThat(InputInstants.parseOrNull("1970-01-01T00:00:00Z")).isEqualTo(Instant.EPOCH);
        assertThat(InputInstants.parseOrNull("9999-12-31T23:59:59Z")).isNotNull();
        for (String bad : new String[] {"-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z",
            "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z", "yesterday", "", "x".repeat(1000)}) {
            assertThat(InputInstants.parseOrNull(bad)).as(bad).isNull();
        }
        assertThatThrownBy(() -> InputInstants.require("since", "-999999999-01-01T00:00:00Z"))
                .hasMessageStartingWith("since must be an ISO-8601 instant between 1970");
    }
}
