package io.keywatch.streams;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One detector threshold: its name, default and range. Each is declared once, as a constant of the rule that owns it
 * (e.g. {@code VolumeSpikeRule.FLOOR}), and listed in that rule's {@code RuleDeclaration}; the set of all settings
 * is derived from the declarations ({@code Detectors.settings()}). Each is set globally by an environment variable
 * ({@link #envVar()}, e.g. {@code KEYWATCH_DETECT_VOLUME_FLOOR}) and, when {@link #perKey()}, can be overridden for
 * one key by the registry's {@code KeyMetadata.thresholds} under its {@link #key() setting name} (e.g.
 * {@code volume.floor}); a per-key value wins over the global one. A per-key value outside the setting's range is
 * ignored (the global value applies).
 *
 * <p>Besides these numbers, a rule can be switched off for one key with {@code <prefix>.enabled = 0} and for every
 * key with {@code KEYWATCH_DETECT_DISABLED_RULES}; each rule's declaration names its prefix, the settings it reads
 * and what they mean (the README's setting table is generated from those: {@code keywatch rules}).
 *
 * @param key          the per-key name ({@code volume.floor}), as used in {@code KeyMetadata.thresholds}
 * @param min          the smallest valid value; {@link Double#MIN_VALUE} means "greater than 0"
 * @param integer      whether only whole numbers are valid
 * @param perKey       whether a registry entry may override this setting for its key
 */
public record DetectionSetting(String key, double defaultValue, double min, double max, boolean integer,
                               boolean perKey) {

    /** {@code family.name}: the family is the rule's prefix, the env variable is made from both. */
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z]*\\.[a-z][A-Za-z]*");

    public DetectionSetting {
        Objects.requireNonNull(key, "key");
        if (!NAME.matcher(key).matches()) {
            throw new IllegalArgumentException("a setting name is family.name in camel case, got '" + key + "'");
        }
        if (!(min <= max)) {
            throw new IllegalArgumentException(key + ": the range is empty");
        }
        if (!accepts(defaultValue, min, max, integer)) {
            throw new IllegalArgumentException(key + ": the default " + defaultValue + " is outside its range");
        }
    }

    /** A per-key whole number between {@code min} and {@code max}, both included. */
    public static DetectionSetting wholeNumber(String key, double defaultValue, double min, double max) {
        return new DetectionSetting(key, defaultValue, min, max, true, true);
    }

    /** A per-key number between {@code min} and {@code max}, both included. */
    public static DetectionSetting number(String key, double defaultValue, double min, double max) {
        return new DetectionSetting(key, defaultValue, min, max, false, true);
    }

    /** A per-key number greater than 0 and at most {@code max}. */
    public static DetectionSetting positiveNumber(String key, double defaultValue, double max) {
        return number(key, defaultValue, Double.MIN_VALUE, max);
    }

    /** This setting, set only globally (e.g. a punctuator's interval, which cannot differ per key). */
    public DetectionSetting globalOnly() {
        return new DetectionSetting(key, defaultValue, min, max, integer, false);
    }

    /** {@code volume.floor} -> {@code KEYWATCH_DETECT_VOLUME_FLOOR}. */
    public String envVar() {
        StringBuilder name = new StringBuilder("KEYWATCH_DETECT_");
        for (char c : key.toCharArray()) {
            if (c == '.') {
                name.append('_');
            } else if (Character.isUpperCase(c)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString().toUpperCase(Locale.ROOT);
    }

    /** True when {@code value} is a valid value of this setting (finite, in range, whole where it must be). */
    public boolean accepts(double value) {
        return accepts(value, min, max, integer);
    }

    private static boolean accepts(double value, double min, double max, boolean integer) {
        return Double.isFinite(value) && value >= min && value <= max && (!integer || value == Math.rint(value));
    }

    /** Why {@code value} is not valid, naming the environment variable. */
    public String rangeMessage(double value) {
        String range = (min == Double.MIN_VALUE ? "greater than 0" : "at least " + format(min))
                + " and at most " + format(max);
        return envVar() + " must be " + (integer ? "a whole number " : "a number ") + range + ", got " + value;
    }

    private static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
