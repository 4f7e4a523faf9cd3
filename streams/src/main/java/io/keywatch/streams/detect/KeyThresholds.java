package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import java.util.Map;

/**
 * One key's effective detector settings: the key's registry overrides ({@code KeyMetadata.thresholds}, by
 * {@link DetectionSetting#key() setting name}) over the global {@link DetectionSettings}. An override outside the
 * setting's range is ignored. Cheap to create: most keys have no overrides and share {@link #global}.
 */
public final class KeyThresholds {

    private final DetectionSettings global;
    private final Map<String, Double> overrides;

    private KeyThresholds(DetectionSettings global, Map<String, Double> overrides) {
        this.global = global;
        this.overrides = overrides;
    }

    /** The global settings, for keys without overrides. */
    public static KeyThresholds global(DetectionSettings settings) {
        return new KeyThresholds(settings, Map.of());
    }

    /** The effective settings of a key with this registry entry (null for an unregistered key). */
    public static KeyThresholds forKey(DetectionSettings settings, KeyThresholds shared, KeyMetadata metadata) {
        if (metadata == null || metadata.thresholds() == null || metadata.thresholds().isEmpty()) {
            return shared;
        }
        return new KeyThresholds(settings, metadata.thresholds());
    }

    public double get(DetectionSetting setting) {
        if (!overrides.isEmpty() && setting.perKey()) {
            Double value = overrides.get(setting.key());
            if (value != null && setting.accepts(value)) {
                return value;
            }
        }
        return global.get(setting);
    }

    public int getInt(DetectionSetting setting) {
        return (int) Math.min(Integer.MAX_VALUE, get(setting));
    }

    /** False when the rule is switched off globally or, for this key, by {@code <prefix>.enabled = 0}. */
    public boolean enabled(AlertRule rule) {
        RuleDeclaration declaration = Detectors.all().declaration(rule);
        return declaration == null ? !global.isDisabled(rule) : enabled(declaration);
    }

    /**
     * False when the rule is switched off globally or, for this key, by {@code <prefix>.enabled = 0}: its
     * {@link RuleDeclaration#toggle()} says which apply, and an {@link Toggle#ALWAYS_ON} rule never is. A rule that
     * is off by default ({@link RuleDeclaration#onByDefault()}) is on only where switched on: for every key by
     * {@code KEYWATCH_DETECT_ENABLED_RULES}, for this key by {@code <prefix>.enabled = 1} (and
     * {@code KEYWATCH_DETECT_DISABLED_RULES} still wins).
     */
    public boolean enabled(RuleDeclaration declaration) {
        if (declaration.toggle() == Toggle.ALWAYS_ON) {
            return true;
        }
        if (global.isDisabled(declaration.rule())) {
            return false;
        }
        boolean byDefault = declaration.onByDefault() || global.isEnabled(declaration.rule());
        if (overrides.isEmpty() || declaration.toggle() != Toggle.GLOBAL_AND_PER_KEY) {
            return byDefault;
        }
        Double value = overrides.get(declaration.enabledKey());
        return value == null ? byDefault : value != 0;
    }

    /** Whether the key overrides the setting (for evidence). */
    public boolean overridden(DetectionSetting setting) {
        Double value = overrides.get(setting.key());
        return value != null && setting.perKey() && setting.accepts(value);
    }
}
