package io.keywatch.api.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthSettingsTest {

    @Test
    void defaultsToAMinuteAndThreeChecks() {
        assertThat(HealthSettings.fromEnv(Map.of())).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(ApiSettings.defaults().health()).isEqualTo(HealthSettings.DEFAULTS);
        assertThat(HealthSettings.DEFAULTS.intakeStallAfter()).isEqualTo(Duration.ofSeconds(60));
        assertThat(HealthSettings.DEFAULTS.lagGrowthChecks()).isEqualTo(3);
    }

    @Test
    void readsBothVariablesAndZeroTurnsTheGrowthRuleOff() {
        HealthSettings settings = ApiSettings.fromEnv(Map.of("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS", "15",
                "KEYWATCH_HEALTH_LAG_GROWTH_CHECKS", "0")).health();

        assertThat(settings.intakeStallAfter()).isEqualTo(Duration.ofSeconds(15));
        assertThat(settings.lagGrowthChecks()).isZero();
        assertThat(settings).hasToString("HealthSettings[intakeStallAfter=15s, lagGrowthChecks=off]");
    }

    @Test
    void aBadValueNamesItsVariable() {
        assertThatThrownBy(() -> HealthSettings.fromEnv(Map.of("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS", "0")))
                .hasMessageContaining("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS");
        assertThatThrownBy(() -> HealthSettings.fromEnv(Map.of("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS", "1m")))
                .hasMessageContaining("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS");
        assertThatThrownBy(() -> HealthSettings.fromEnv(Map.of("KEYWATCH_HEALTH_LAG_GROWTH_CHECKS", "-1")))
                .hasMessageContaining("KEYWATCH_HEALTH_LAG_GROWTH_CHECKS");
    }
}
