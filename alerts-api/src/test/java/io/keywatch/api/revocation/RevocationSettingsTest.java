package io.keywatch.api.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RevocationSettingsTest {

    @Test
    void defaultsWhenNothingIsSet() {
        RevocationSettings settings = RevocationSettings.fromEnv(Map.of());

        assertThat(settings).isEqualTo(RevocationSettings.DEFAULTS);
        assertThat(settings.rules()).as("every rule at the minimum severity").isNull();
        assertThat(settings.dryRun()).isFalse();
        assertThat(settings.maxPerWindow()).isEqualTo(20);
        assertThat(settings.window()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void readsEveryVariable() {
        RevocationSettings settings = RevocationSettings.fromEnv(Map.of(
                "KEYWATCH_REVOKE_RULES", " volume_spike:critical, AUTH_FAILURE_BURST:HIGH ,REVOKED_KEY_USED",
                "KEYWATCH_REVOKE_DRY_RUN", "true",
                "KEYWATCH_REVOKE_MAX_PER_WINDOW", "0",
                "KEYWATCH_REVOKE_WINDOW_MINUTES", "60"));

        assertThat(settings.rules()).containsOnly(
                Map.entry(AlertRule.VOLUME_SPIKE, Severity.CRITICAL),
                Map.entry(AlertRule.AUTH_FAILURE_BURST, Severity.HIGH),
                Map.entry(AlertRule.REVOKED_KEY_USED, Severity.CRITICAL));
        assertThat(settings.dryRun()).isTrue();
        assertThat(settings.maxPerWindow()).isZero();
        assertThat(settings.window()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.rulesSpec()).isEqualTo("VOLUME_SPIKE:CRITICAL,AUTH_FAILURE_BURST:HIGH,REVOKED_KEY_USED:CRITICAL");
        assertThat(RevocationSettings.fromEnv(Map.of("KEYWATCH_REVOKE_RULES", "none")).rules()).isEmpty();
    }

    @Test
    void badValuesNameTheirVariable() {
        Map<String, String> bad = Map.of(
                "KEYWATCH_REVOKE_RULES", "VOLUME_SPIKE:URGENT",
                "KEYWATCH_REVOKE_DRY_RUN", "maybe",
                "KEYWATCH_REVOKE_MAX_PER_WINDOW", "-1",
                "KEYWATCH_REVOKE_WINDOW_MINUTES", "0");
        bad.forEach((name, value) -> assertThatThrownBy(() -> RevocationSettings.fromEnv(Map.of(name, value)))
                .as(name).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name));
        assertThatThrownBy(() -> RevocationSettings.parseRules("NO_SUCH_RULE:HIGH"))
                .hasMessageContaining("NO_SUCH_RULE");
        assertThatThrownBy(() -> RevocationSettings.parseRules("VOLUME_SPIKE,VOLUME_SPIKE:HIGH"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> RevocationSettings.parseRules("REVOCATION_GUARD_TRIPPED:LOW"))
                .hasMessageContaining("REVOCATION_GUARD_TRIPPED");
        assertThatThrownBy(() -> RevocationSettings.parseRules("SECRET_IN_TELEMETRY:CRITICAL"))
                .hasMessageContaining("SECRET_IN_TELEMETRY").hasMessageContaining("rotate the secret");
        assertThatThrownBy(() -> RevocationSettings.parseRules("VOLUME_SPIKE:CRITICAL,KEY_OVERPRIVILEGED:LOW"))
                .hasMessageContaining("KEY_OVERPRIVILEGED").hasMessageContaining("narrower grant");
        assertThatThrownBy(() -> RevocationSettings.parseRules(",,"))
                .hasMessageContaining("NONE");
    }
}
