package io.keywatch.api.alerts;

import io.keywatch.events.SafeText;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Why an alert was resolved; stored and shown in lower case ({@code false_positive}). */
public enum Resolution {
    FALSE_POSITIVE,
    REVOKED,
    EXPECTED,
    FIXED,
    OTHER,
    /** Set by keywatch when an alert stayed quiet for the auto-resolve period; not accepted from clients. */
    AUTO_RESOLVED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The resolutions a person may choose. */
    public static List<String> manualNames() {
        return Arrays.stream(values()).filter(r -> r != AUTO_RESOLVED).map(Resolution::wireName).toList();
    }

    /** Parses a resolution a person chose; throws {@link IllegalArgumentException} naming the valid values. */
    public static Resolution parseManual(String value) {
        return Arrays.stream(values())
                .filter(r -> r != AUTO_RESOLVED && r.wireName().equals(value.strip().toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "resolution must be one of " + manualNames() + ", got " + SafeText.quote(value)));
    }
}
