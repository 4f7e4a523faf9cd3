package io.keywatch.api.alerts;

import io.keywatch.events.EnumNames;

/** Where an alert is in the security team's triage. New alerts are OPEN. */
public enum AlertStatus {
    OPEN,
    ACKNOWLEDGED,
    RESOLVED;

    /** Parses a status name case-insensitively; throws {@link IllegalArgumentException} naming the valid values. */
    public static AlertStatus parse(String value) {
        return EnumNames.parse(AlertStatus.class, "status", value);
    }
}
