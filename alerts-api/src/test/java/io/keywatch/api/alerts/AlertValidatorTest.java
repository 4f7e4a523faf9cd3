package io.keywatch.api.alerts;

import static io.keywatch.api.support.TestAlerts.alert;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.Alert;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertValidatorTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private final AlertValidator validator = new AlertValidator();

    private static Alert with(String id, String keyId, String summary, Instant detectedAt, double observed,
                              Map<String, Object> evidence) {
        Alert a = alert("v-1", "k-1", Severity.HIGH, NOW);
        return new Alert(id, a.rule(), a.severity(), keyId, a.windowStart(), a.windowEnd(), a.triggeredAt(),
                detectedAt, observed, a.threshold(), a.baseline(), summary, evidence);
    }

    @Test
    void acceptsWhatTheTopologyRaises() {
        Alert ok = alert("v-1", "k-1", Severity.HIGH, NOW);

        assertThat(validator.validate(ok)).isSameAs(ok);
        assertThat(validator.validate(with("v", "clé-\ud83d\ude00", "line 1\nline 2\ttab", NOW, 1, Map.of())))
                .isNotNull();
    }

    @Test
    void refusesNulAndControlCharactersInIdsAndKeyIds() {
        assertThatThrownBy(() -> validator.validate(with("v", "k\u0000", null, NOW, 1, Map.of())))
                .isInstanceOf(InvalidAlertException.class)
                .hasMessage("keyId must be printable without spaces, but has U+0000 at index 1 (length 2)");
        assertThatThrownBy(() -> validator.validate(with("v\n", "k", null, NOW, 1, Map.of())))
                .hasMessage("id holds control character U+000A at index 1 (length 2)");
        assertThatThrownBy(() -> validator.validate(with("v", "k", "fine\u0000", NOW, 1, Map.of())))
                .hasMessageStartingWith("summary holds a NUL");
        assertThatThrownBy(() -> validator.validate(with("v", "k\ud800", null, NOW, 1, Map.of())))
                .hasMessage("keyId must be printable without spaces, but has U+D800 at index 1 (length 2)");
        assertThatThrownBy(() -> validator.validate(with("", "k", null, NOW, 1, Map.of())))
                .hasMessage("id is empty");
    }

    @Test
    void appliesKeywatchsOneKeyIdRuleAndNeverQuotesTheValue() {
        // the parser's rule: no whitespace, format or separator characters either (a bidi override hides text)
        for (String keyId : List.of("key id", "key\u202eid", "key\u00a0id", "key\u2028id")) {
            assertThatThrownBy(() -> validator.validate(with("v", keyId, null, NOW, 1, Map.of())))
                    .isInstanceOf(InvalidAlertException.class)
                    .hasMessageStartingWith("keyId must be printable without spaces, but has U+")
                    .hasMessageEndingWith("(length 6)");
        }
        assertThatThrownBy(() -> validator.validate(with("v", "k", "sk_live_secret\u0000", NOW, 1, Map.of())))
                .hasMessage("summary holds a NUL character (U+0000) at index 14 (length 15)");
    }

    @Test
    void refusesAbsurdLengthsWithoutQuotingTheValue() {
        assertThatThrownBy(() -> validator.validate(with("v", "k".repeat(1_000_000), null, NOW, 1, Map.of())))
                .hasMessage("keyId is 1000000 characters long, more than 256");
        assertThatThrownBy(() -> validator.validate(with("v", "k", "s".repeat(5_000), NOW, 1, Map.of())))
                .hasMessageStartingWith("summary is 5000 characters long");
    }

    @Test
    void refusesTimesPostgresCannotStoreAndNonFiniteNumbers() {
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, Instant.MAX, 1, Map.of())))
                .hasMessage("detectedAt is outside the years 1 to 9999");
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, Instant.parse("-4714-01-01T00:00:00Z"), 1,
                Map.of()))).hasMessageContaining("outside the years 1 to 9999");
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, NOW, Double.NaN, Map.of())))
                .hasMessage("observed is NaN, not a finite number");
    }

    @Test
    void refusesEvidenceWithNulsTooDeepOrTooLarge() {
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, NOW, 1, Map.of("ip\u0000", 1))))
                .hasMessageStartingWith("evidence text holds a NUL");
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, NOW, 1,
                Map.of("paths", List.of("/a", "/b\u0000"))))).hasMessageStartingWith("evidence text holds a NUL");
        Map<String, Object> deep = new HashMap<>();
        Map<String, Object> level = deep;
        for (int i = 0; i < 40; i++) {
            Map<String, Object> next = new HashMap<>();
            level.put("n", next);
            level = next;
        }
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, NOW, 1, deep)))
                .hasMessageStartingWith("evidence is nested more than 16");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("x".repeat(1_000));
        }
        assertThatThrownBy(() -> validator.validate(with("v", "k", null, NOW, 1, Map.of("big", many))))
                .hasMessageStartingWith("evidence holds more than 65536 characters");
    }

    @Test
    void refusesNoAlertAtAll() {
        assertThatThrownBy(() -> validator.validate(null)).isInstanceOf(InvalidAlertException.class);
    }
}
