package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeyIdsTest {

    @Test
    void acceptsPrintableIdsUpToTheParsersLimit() {
        assertThat(KeyIds.problem("key_live_42")).isNull();
        assertThat(KeyIds.problem("clé-\ud83d\ude00")).isNull();
        assertThat(KeyIds.problem("k".repeat(UsageEventLimits.MAX_KEY_ID_CHARS))).isNull();
    }

    @Test
    void namesTheProblemWithoutTheValue() {
        assertThat(KeyIds.problem(null)).isEqualTo("is empty");
        assertThat(KeyIds.problem("")).isEqualTo("is empty");
        assertThat(KeyIds.problem("s".repeat(257))).isEqualTo("is 257 characters long, more than 256");
        assertThat(KeyIds.problem("sk live")).isEqualTo("must be printable without spaces, but has U+0020 at index 2 "
                + "(length 7)");
        for (String bad : new String[] {"sk\u0000x", "sk\tx", "sk\u202ex", "sk\u200bx", "sk\u00a0x", "sk\u2028x",
                "sk\ud800x", "sk\u0085x"}) {
            assertThat(KeyIds.problem(bad)).as(bad).startsWith("must be printable without spaces, but has U+")
                    .contains("at index 2 (length 4)").doesNotContain("sk");
        }
    }
}
