package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        SimulatorSettings settings = SimulatorSettings.fromEnv(Map.of());

        assertThat(settings).isEqualTo(SimulatorSettings.DEFAULTS);
        assertThat(settings.keys()).isEqualTo(50);
        assertThat(settings.seed()).isEqualTo(42L);
        assertThat(settings.rateScale()).isEqualTo(1.0);
        assertThat(settings.minRatePerMinute()).isEqualTo(2.0);
        assertThat(settings.maxRatePerMinute()).isEqualTo(120.0);
        assertThat(settings.incidentInterval()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.backfill()).isEqualTo(Duration.ofMinutes(30));
        assertThat(settings.demoIncidents()).isTrue();
    }

    @Test
    void readsEveryVariable() {
        SimulatorSettings settings = SimulatorSettings.fromEnv(Map.of(
                "KEYWATCH_SIM_KEYS", "200",
                "KEYWATCH_SIM_SEED", "-7",
                "KEYWATCH_SIM_RATE_SCALE", "2.5",
                "KEYWATCH_SIM_MIN_RATE_PER_MINUTE", "1",
                "KEYWATCH_SIM_MAX_RATE_PER_MINUTE", "600",
                "KEYWATCH_SIM_INCIDENT_INTERVAL_SECONDS", "90",
                "KEYWATCH_SIM_BACKFILL_MINUTES", "15"));

        assertThat(settings).isEqualTo(new SimulatorSettings(
                200, -7L, 2.5, 1.0, 600.0, Duration.ofSeconds(90), Duration.ofMinutes(15)));
    }

    @Test
    void zeroTurnsDemoIncidentsAndBackfillOff() {
        SimulatorSettings settings = SimulatorSettings.fromEnv(Map.of(
                "KEYWATCH_SIM_INCIDENT_INTERVAL_SECONDS", "0", "KEYWATCH_SIM_BACKFILL_MINUTES", "0"));

        assertThat(settings.demoIncidents()).isFalse();
        assertThat(settings.backfill()).isZero();
    }

    @Test
    void blankValuesKeepTheirDefaults() {
        assertThat(SimulatorSettings.fromEnv(Map.of("KEYWATCH_SIM_KEYS", " ")).keys()).isEqualTo(50);
    }

    @Test
    void anUnreadableValueNamesTheVariable() {
        assertThatThrownBy(() -> SimulatorSettings.fromEnv(Map.of("KEYWATCH_SIM_KEYS", "many")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KEYWATCH_SIM_KEYS")
                .hasMessageContaining("'many'");
    }

    @Test
    void anOutOfRangeValueSaysWhatIsAllowed() {
        assertThatThrownBy(() -> SimulatorSettings.fromEnv(Map.of("KEYWATCH_SIM_KEYS", "0")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("keys must be between 1 and 100000");
        assertThatThrownBy(() -> SimulatorSettings.fromEnv(Map.of("KEYWATCH_SIM_RATE_SCALE", "-1")))
                .hasMessageContaining("rateScale");
        assertThatThrownBy(() -> SimulatorSettings.fromEnv(Map.of(
                "KEYWATCH_SIM_MIN_RATE_PER_MINUTE", "50", "KEYWATCH_SIM_MAX_RATE_PER_MINUTE", "10")))
                .hasMessageContaining("0 < min <= max");
        assertThatThrownBy(() -> SimulatorSettings.fromEnv(Map.of("KEYWATCH_SIM_BACKFILL_MINUTES", "-5")))
                .hasMessageContaining("backfill");
    }
}
