package io.keywatch.events;

import java.util.Locale;

/** Alert severity, ordered from least to most severe. */
public enum Severity {
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    public boolean isAtLeast(Severity other) {
        return compareTo(other) >= 0;
    }

    /** Parses a severity name case-insensitively; throws {@link IllegalArgumentException} naming the valid values. */
    public static Severity parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown severity '" + value + "', expected one of LOW, MEDIUM, HIGH, CRITICAL");
        }
    }
}
