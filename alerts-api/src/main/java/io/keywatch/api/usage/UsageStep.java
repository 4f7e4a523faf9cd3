package io.keywatch.api.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** The width of one point of a usage series. */
public enum UsageStep {
    MINUTE(ChronoUnit.MINUTES), HOUR(ChronoUnit.HOURS);

    private final ChronoUnit unit;

    UsageStep(ChronoUnit unit) {
        this.unit = unit;
    }

    public Duration duration() {
        return unit.getDuration();
    }

    /** The start of the step that contains {@code instant}. */
    public Instant floor(Instant instant) {
        return instant.truncatedTo(unit);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UsageStep parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "minute" -> MINUTE;
            case "hour" -> HOUR;
            default -> throw new IllegalArgumentException("must be minute or hour");
        };
    }
}
