package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {

    private static Env env(String name, String value) {
        return Env.of(Map.of(name, value));
    }

    private static Env strict(String name, String value) {
        return Env.strict(Map.of(name, value));
    }

    @Test
    void textKeepsTheDefaultWhenUnsetOrBlankAndStripsTheValue() {
        assertThat(Env.of(Map.of()).text("X", "fallback")).isEqualTo("fallback");
        assertThat(env("X", "  ").text("X", "fallback")).isEqualTo("fallback");
        assertThat(env("X", " kafka:9092\t").text("X", "fallback")).isEqualTo("kafka:9092");
    }

    @Test
    void strictTextRejectsABlankValueNamingTheVariable() {
        assertThat(Env.strict(Map.of()).text("X", "fallback")).isEqualTo("fallback");
        assertThat(strict("X", " value ").text("X", "fallback")).isEqualTo("value");
        assertThatThrownBy(() -> strict("X", " ").text("X", "fallback"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("X must not be blank");
    }

    @Test
    void integerReadsAWholeNumber() {
        assertThat(Env.of(Map.of()).integer("N", 7)).isEqualTo(7);
        assertThat(env("N", " ").integer("N", 7)).isEqualTo(7);
        assertThat(env("N", " -3 ").integer("N", 7)).isEqualTo(-3);
        assertThatThrownBy(() -> env("N", "2.5").integer("N", 7))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("N must be a whole number, got '2.5'")
                .hasCauseInstanceOf(NumberFormatException.class);
    }

    @Test
    void positiveIntegerRejectsZeroAndNegatives() {
        assertThat(Env.of(Map.of()).positiveInteger("N", 3)).isEqualTo(3);
        assertThat(env("N", " 6 ").positiveInteger("N", 3)).isEqualTo(6);
        assertThatThrownBy(() -> env("N", "0").positiveInteger("N", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("N must be greater than 0, got 0");
        assertThatThrownBy(() -> env("N", "-5").positiveInteger("N", 3))
                .hasMessage("N must be greater than 0, got -5");
        assertThatThrownBy(() -> env("N", "lots").positiveInteger("N", 3))
                .hasMessage("N must be a whole number, got 'lots'");
    }

    @Test
    void boundedIntegerAcceptsBothEndsAndNothingOutside() {
        assertThat(Env.of(Map.of()).integer("N", 20, 0, 100)).isEqualTo(20);
        assertThat(env("N", " ").integer("N", 20, 0, 100)).isEqualTo(20);
        assertThat(env("N", " 0 ").integer("N", 20, 0, 100)).isZero();
        assertThat(env("N", "100").integer("N", 20, 0, 100)).isEqualTo(100);
        for (String bad : new String[] {"-1", "101", "99999999999", "some"}) {
            assertThatThrownBy(() -> env("N", bad).integer("N", 20, 0, 100))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("N must be a whole number from 0 to 100, got '" + bad + "'");
        }
    }

    @Test
    void positiveMillisTellsANonNumberFromANonPositiveNumber() {
        Duration fallback = Duration.ofMillis(500);
        assertThat(Env.of(Map.of()).positiveMillis("T", fallback)).isEqualTo(fallback);
        assertThat(env("T", "").positiveMillis("T", fallback)).isEqualTo(fallback);
        assertThat(env("T", " 2500 ").positiveMillis("T", fallback)).isEqualTo(Duration.ofMillis(2500));
        assertThatThrownBy(() -> env("T", "10s").positiveMillis("T", fallback))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("T must be a whole number of milliseconds, got '10s'");
        assertThatThrownBy(() -> env("T", "0").positiveMillis("T", fallback))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("T must be a positive number of milliseconds, got 0");
        assertThatThrownBy(() -> env("T", "-1").positiveMillis("T", fallback))
                .hasMessage("T must be a positive number of milliseconds, got -1");
    }

    @Test
    void boolReadsTheUsualSpellingsOfASwitch() {
        assertThat(Env.of(Map.of()).bool("B", true)).isTrue();
        assertThat(env("B", " ").bool("B", true)).isTrue();
        for (String yes : new String[] {"true", "YES", "1", " On "}) {
            assertThat(env("B", yes).bool("B", false)).as(yes).isTrue();
        }
        for (String no : new String[] {"false", "No", "0", "OFF "}) {
            assertThat(env("B", no).bool("B", true)).as(no).isFalse();
        }
        assertThatThrownBy(() -> env("B", "maybe").bool("B", false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("B must be true or false, got 'maybe'");
    }

    @Test
    void portReadsANumberAndLeavesTheRangeToTheSettings() {
        assertThat(Env.of(Map.of()).port("P", 8080)).isEqualTo(8080);
        assertThat(env("P", "").port("P", 8080)).isEqualTo(8080);
        assertThat(env("P", " 0 ").port("P", 8080)).isZero();
        assertThat(env("P", "70000").port("P", 8080)).isEqualTo(70_000);
        assertThatThrownBy(() -> env("P", "eighty").port("P", 8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("P must be a port number, got 'eighty'");
    }

    @Test
    void minutesAcceptsZeroToTheMaximum() {
        assertThat(Env.of(Map.of()).minutes("M", Duration.ofMinutes(60), 100, "off")).isEqualTo(Duration.ofMinutes(60));
        assertThat(env("M", " 0 ").minutes("M", Duration.ofMinutes(60), 100, "off")).isZero();
        assertThat(env("M", "100").minutes("M", Duration.ofMinutes(60), 100, "off")).isEqualTo(Duration.ofMinutes(100));
        for (String bad : new String[] {"-1", "101", "soon", "1.5"}) {
            assertThatThrownBy(() -> env("M", bad).minutes("M", Duration.ofMinutes(60), 100, "off"))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("M must be a number of minutes from 0 (off) to 100, got '" + bad + "'");
        }
    }

    @Test
    void readParsesTheStrippedTextAndNamesTheVariableWhenTheParserRefuses() {
        assertThat(Env.of(Map.of()).read("S", Severity.LOW, Severity::parse, "a severity")).isEqualTo(Severity.LOW);
        assertThat(env("S", " ").read("S", Severity.LOW, Severity::parse, "a severity")).isEqualTo(Severity.LOW);
        assertThat(env("S", " high ").read("S", Severity.LOW, Severity::parse, "a severity")).isEqualTo(Severity.HIGH);
        assertThat(env("L", " 12 ").read("L", 0L, Long::parseLong, "a whole number")).isEqualTo(12L);
        assertThatThrownBy(() -> env("S", "urgent").read("S", Severity.LOW, Severity::parse, "a severity"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("S must be a severity, got 'urgent'")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void strictReadsParseABlankValueRatherThanFallingBack() {
        assertThatThrownBy(() -> strict("P", " ").port("P", 8080))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("P must be a port number, got ' '");
        assertThatThrownBy(() -> strict("M", "").minutes("M", Duration.ZERO, 10, "off"))
                .hasMessage("M must be a number of minutes from 0 (off) to 10, got ''");
        assertThat(Env.strict(Map.of()).port("P", 8080)).isEqualTo(8080);
    }

    @Test
    void requireTextNamesTheFieldWhenItIsNullOrBlank() {
        assertThat(Env.requireText("kafka:9092", "bootstrapServers")).isEqualTo("kafka:9092");
        assertThatThrownBy(() -> Env.requireText(" ", "bootstrapServers"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("bootstrapServers must not be blank");
        assertThatThrownBy(() -> Env.requireText(null, "clientId"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("clientId must not be blank");
    }

    @Test
    void aHostileValueIsEchoedOnlyEscapedAndCut() {
        assertThatThrownBy(() -> env("N", "1\u0000\u001b[31m" + "9".repeat(1_000_000)).integer("N", 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("N must be a whole number, got '1\\u0000\\u001b[31m999")
                .hasMessageEndingWith("...'");
        assertThat(catchThrowable(() -> env("N", "1" + "9".repeat(1_000_000)).integer("N", 3)).getMessage())
                .hasSizeLessThan(100);
    }
}
