package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AbuseLimitsTest {

    @Test
    void defaultsAreTenFailuresAMinuteAndAWeekOfSilence() {
        assertThat(AbuseLimits.fromEnv(Map.of())).isEqualTo(AbuseLimits.DEFAULTS);
        assertThat(AbuseLimits.DEFAULTS.authFailuresPerMinute()).isEqualTo(10);
        assertThat(AbuseLimits.DEFAULTS.silenceMax()).isEqualTo(Duration.ofDays(7));
        assertThat(ApiSettings.defaults().abuse()).isEqualTo(AbuseLimits.DEFAULTS);
    }

    @Test
    void readsTheVariables() {
        AbuseLimits limits = AbuseLimits.fromEnv(Map.of("KEYWATCH_AUTH_FAILURES_PER_MINUTE", "0",
                "KEYWATCH_SILENCE_MAX_DAYS", "2"));
        assertThat(limits.authFailuresPerMinute()).isZero();
        assertThat(limits.silenceMax()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void refusesBadValuesNamingTheVariable() {
        for (String bad : new String[] {"-1", "ten", "1000001"}) {
            assertThatThrownBy(() -> AbuseLimits.fromEnv(Map.of("KEYWATCH_AUTH_FAILURES_PER_MINUTE", bad)))
                    .as(bad).hasMessageContaining("KEYWATCH_AUTH_FAILURES_PER_MINUTE");
        }
        for (String bad : new String[] {"0", "367", "9999"}) {
            assertThatThrownBy(() -> AbuseLimits.fromEnv(Map.of("KEYWATCH_SILENCE_MAX_DAYS", bad)))
                    .as(bad).hasMessageContaining("KEYWATCH_SILENCE_MAX_DAYS");
        }
    }
}
