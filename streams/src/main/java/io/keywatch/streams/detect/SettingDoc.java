package io.keywatch.streams.detect;

import io.keywatch.streams.DetectionSetting;

/** A setting a rule reads, with what the setting table says of it (the unit is empty for a plain number). */
public record SettingDoc(DetectionSetting setting, String unit, String description) {

    public static SettingDoc of(DetectionSetting setting, String unit, String description) {
        return new SettingDoc(setting, unit, description);
    }
}
