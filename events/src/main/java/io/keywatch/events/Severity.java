package io.keywatch.events;

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
        return EnumNames.parse(Severity.class, "severity", value);
    }
}
