package io.keywatch.streams;

import java.util.Map;

/** Reads typed values from environment variables, naming the variable when one is malformed. */
final class EnvValues {

    private final Map<String, String> env;

    EnvValues(Map<String, String> env) {
        this.env = env;
    }

    String text(String name, String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    int positiveInt(String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'", e);
        }
        if (parsed <= 0) {
            throw new IllegalArgumentException(name + " must be greater than 0, got " + parsed);
        }
        return parsed;
    }

    double positiveDouble(String name, double defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number such as 2.5, got '" + value + "'", e);
        }
        if (!(parsed > 0) || Double.isInfinite(parsed)) {
            throw new IllegalArgumentException(name + " must be a finite number greater than 0, got " + value.trim());
        }
        return parsed;
    }

    /**
     * A number for a detection setting: unset or blank keeps {@code defaultValue}; anything else must be a number
     * the setting accepts.
     */
    double setting(DetectionSetting setting, double defaultValue) {
        String name = setting.envVar();
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be " + (setting.isInteger() ? "a whole number" : "a number")
                    + ", got '" + value + "'", e);
        }
        if (!setting.accepts(parsed)) {
            throw new IllegalArgumentException(setting.rangeMessage(parsed));
        }
        return parsed;
    }
}
