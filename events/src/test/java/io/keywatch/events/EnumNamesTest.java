package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EnumNamesTest {

    @Test
    void ignoresCaseAndSurroundingBlanks() {
        assertThat(EnumNames.parse(Severity.class, "severity", " high ")).isEqualTo(Severity.HIGH);
        assertThat(Severity.parse("Critical")).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void namesWhatWasGivenAndTheValidValues() {
        assertThatThrownBy(() -> Severity.parse("urgent"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown severity 'urgent', expected one of [LOW, MEDIUM, HIGH, CRITICAL]");
        assertThatThrownBy(() -> EnumNames.parse(AlertRule.class, "rule", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown rule 'null', expected one of [");
    }
}
