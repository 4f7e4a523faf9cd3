package io.keywatch.api.alerts;

import java.util.Arrays;
import java.util.Locale;

/** Where an alert is in the security team's triage. New alerts are OPEN. */
public enum AlertStatus {
    OPEN,
    ACKNOWLEDGED,
    RESOLVED;

    /** Parses a status name case-insensitively; throws {@link IllegalArgumentException} naming the valid values. */
    public static AlertStatus parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown status '" + value + "', expected one of " + Arrays.toString(values()));
        }
    }
}
