package io.keywatch.api.approvals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.api.ApiSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FourEyesSettingsTest {

    @Test
    void onByDefaultWithADayToDecide() {
        assertThat(FourEyesSettings.fromEnv(Map.of())).isEqualTo(FourEyesSettings.DEFAULTS);
        assertThat(FourEyesSettings.DEFAULTS.enabled()).isTrue();
        assertThat(FourEyesSettings.DEFAULTS.pendingFor()).isEqualTo(Duration.ofHours(24));
        assertThat(ApiSettings.defaults().fourEyes()).isEqualTo(FourEyesSettings.DEFAULTS);
    }

    @Test
    void readsTheSwitchAndTheExpiry() {
        FourEyesSettings settings = FourEyesSettings.fromEnv(Map.of("KEYWATCH_FOUR_EYES", "false",
                "KEYWATCH_APPROVAL_EXPIRY_HOURS", "4"));
        assertThat(settings.enabled()).isFalse();
        assertThat(settings.pendingFor()).isEqualTo(Duration.ofHours(4));
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_FOUR_EYES", "off")).fourEyes().enabled()).isFalse();
    }

    @Test
    void refusesBadValuesNamingTheVariable() {
        assertThatThrownBy(() -> FourEyesSettings.fromEnv(Map.of("KEYWATCH_FOUR_EYES", "maybe")))
                .hasMessageContaining("KEYWATCH_FOUR_EYES");
        for (String bad : new String[] {"0", "169", "-1", "x"}) {
            assertThatThrownBy(() -> FourEyesSettings.fromEnv(Map.of("KEYWATCH_APPROVAL_EXPIRY_HOURS", bad)))
                    .as(bad).hasMessageContaining("KEYWATCH_APPROVAL_EXPIRY_HOURS");
        }
    }
}
