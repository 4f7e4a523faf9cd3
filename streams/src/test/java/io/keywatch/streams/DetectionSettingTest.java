package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyHygieneScan;
import io.keywatch.streams.detect.ScopeViolationRule;
import io.keywatch.streams.detect.VolumeSpikeRule;
import org.junit.jupiter.api.Test;

/** A setting is a value: checked when it is made, and only the declared ones have a value. */
class DetectionSettingTest {

    @Test
    void theFactoriesSayWhatIsValid() {
        assertThat(VolumeSpikeRule.FLOOR.integer()).isTrue();
        assertThat(VolumeSpikeRule.FLOOR.perKey()).isTrue();
        assertThat(VolumeSpikeRule.FACTOR.accepts(0)).isFalse();
        assertThat(VolumeSpikeRule.FACTOR.rangeMessage(0)).contains("greater than 0");
        assertThat(ScopeViolationRule.DENIED_RATIO.accepts(0)).isTrue();
        assertThat(KeyHygieneScan.SCAN_MINUTES.perKey()).isFalse();
        assertThat(KeyHygieneScan.SCAN_MINUTES.envVar()).isEqualTo("KEYWATCH_DETECT_HYGIENE_SCAN_MINUTES");
    }

    @Test
    void aSettingWithABadNameRangeOrDefaultCannotBeMade() {
        assertThatThrownBy(() -> DetectionSetting.wholeNumber("floor", 1, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("family.name");
        assertThatThrownBy(() -> DetectionSetting.wholeNumber("volume.FLOOR", 1, 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DetectionSetting.number("volume.floor", 1, 2, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("range");
        assertThatThrownBy(() -> DetectionSetting.wholeNumber("volume.floor", 1.5, 1, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("default");
    }

    /** A setting left out of every declaration has no value: reading it is a programming error, not a default. */
    @Test
    void aSettingNoRuleDeclaresHasNoValue() {
        DetectionSetting stray = DetectionSetting.wholeNumber("stray.minutes", 1, 1, 10);
        DetectionSetting otherFloor = DetectionSetting.wholeNumber("volume.floor", 50, 1, 1e9);

        assertThatThrownBy(() -> DetectionSettings.DEFAULTS.get(stray))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stray.minutes");
        assertThatThrownBy(() -> DetectionSettings.DEFAULTS.get(otherFloor))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("volume.floor");
        assertThat(DetectionSettings.DEFAULTS.get(VolumeSpikeRule.FLOOR)).isEqualTo(100);
    }
}
