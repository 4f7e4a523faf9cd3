package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins every stored code. State stores, changelog topics and the alert database hold these numbers: if this test
 * fails, you renumbered (or reordered without codes) an enum whose values are already stored. Give a new constant a
 * new code instead, and add it here.
 */
class StoredCodesTest {

    @Test
    void alertRuleCodesNeverChange() {
        assertThat(codes(AlertRule.values())).containsExactlyEntriesOf(table(
                "VOLUME_SPIKE", 0, "AUTH_FAILURE_BURST", 1, "REVOKED_KEY_USED", 2, "EXPIRED_KEY_USED", 3,
                "SCOPE_VIOLATION", 4, "RATE_LIMIT_EXCEEDED", 5, "IP_FANOUT", 6, "NEW_COUNTRY", 7,
                "INSECURE_TRANSPORT", 8, "KEY_IN_URL", 9, "DORMANT_KEY_REACTIVATED", 10, "KEY_EXPIRING", 11,
                "KEY_ROTATION_DUE", 12, "KEY_UNUSED", 13, "UNKNOWN_KEY", 14, "REVOCATION_GUARD_TRIPPED", 15,
                "SECRET_IN_TELEMETRY", 16, "WEBHOOK_FAILING", 17, "CANARY_KEY_USED", 18, "VOLUME_DROP", 19,
                "KEY_OVERPRIVILEGED", 20));
    }

    @Test
    void severityCodesNeverChangeAndRiseWithSeverity() {
        assertThat(codes(Severity.values())).containsExactlyEntriesOf(table(
                "LOW", 0, "MEDIUM", 1, "HIGH", 2, "CRITICAL", 3));
        // the alert database filters "severity_rank >= code": codes must follow the severity order
        for (Severity a : Severity.values()) {
            for (Severity b : Severity.values()) {
                assertThat(Integer.compare(a.code(), b.code())).isEqualTo(Integer.signum(a.compareTo(b)));
            }
        }
    }

    @Test
    void authResultAndKeyStatusCodesNeverChange() {
        assertThat(codes(AuthResult.values())).containsExactlyEntriesOf(table(
                "OK", 0, "INVALID_SECRET", 1, "EXPIRED", 2, "REVOKED", 3, "SCOPE_DENIED", 4, "RATE_LIMITED", 5));
        assertThat(codes(KeyStatus.values())).containsExactlyEntriesOf(table("ACTIVE", 0, "REVOKED", 1));
    }

    @Test
    void everyCodeReadsBackAndAnUnknownCodeIsNull() {
        Arrays.stream(AlertRule.values()).forEach(r -> assertThat(AlertRule.fromCode(r.code())).isSameAs(r));
        Arrays.stream(Severity.values()).forEach(s -> assertThat(Severity.fromCode(s.code())).isSameAs(s));
        Arrays.stream(AuthResult.values()).forEach(a -> assertThat(AuthResult.fromCode(a.code())).isSameAs(a));
        Arrays.stream(KeyStatus.values()).forEach(k -> assertThat(KeyStatus.fromCode(k.code())).isSameAs(k));
        assertThat(AlertRule.fromCode(-1)).isNull();
        assertThat(AlertRule.fromCode(AlertRule.codeCount())).isNull();
        assertThat(Severity.fromCode(255)).isNull();
        assertThat(KeyStatus.fromCode(2)).isNull();
    }

    private enum Clash implements StoredCode {
        A(0), B(0);

        private final int code;

        Clash(int code) {
            this.code = code;
        }

        @Override
        public int code() {
            return code;
        }
    }

    private enum TooBig implements StoredCode {
        A;

        @Override
        public int code() {
            return 64;
        }
    }

    @Test
    void sharedOrOutOfRangeCodesAreRefused() {
        assertThatThrownBy(() -> StoredCodes.of(Clash.values())).hasMessageContaining("share stored code 0");
        assertThatThrownBy(() -> StoredCodes.of(TooBig.values())).hasMessageContaining("outside 0..63");
    }

    private static Map<String, Integer> codes(StoredCode[] constants) {
        return Arrays.stream(constants).collect(Collectors.toMap(c -> ((Enum<?>) c).name(), StoredCode::code,
                (a, b) -> a, LinkedHashMap::new));
    }

    private static Map<String, Integer> table(Object... nameCode) {
        Map<String, Integer> table = new LinkedHashMap<>();
        for (int i = 0; i < nameCode.length; i += 2) {
            table.put((String) nameCode[i], (Integer) nameCode[i + 1]);
        }
        return table;
    }
}
