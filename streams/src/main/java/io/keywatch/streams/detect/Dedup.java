package io.keywatch.streams.detect;

/**
 * A rule's de-duplication window: how often one key can raise it. The processor and the hygiene scan apply it, so a
 * rule only says what it found.
 */
public enum Dedup {
    /** At most once per key and minute, and again in that minute only at a higher severity (mark in the minute). */
    MINUTE("the minute (again if the severity rises)"),
    /** At most once per key and minute, whatever the severity (mark in the minute). */
    FIRST_IN_MINUTE("the minute"),
    /** At most once per key per {@code insecure.periodHours} (UTC-aligned; mark in the key's profile). */
    INSECURE_PERIOD("insecure.periodHours (UTC-aligned)"),
    /** At most once per key per UTC day (mark in the key's profile). */
    DAY("the UTC day"),
    /** At most once per key per ISO week, Monday 00:00 UTC to the next (mark in the key's profile). */
    WEEK("the ISO week (from Monday 00:00 UTC)"),
    /** Once per streak of consecutive minutes, identified by its first minute (mark in the minute and profile). */
    STREAK("the streak of minutes"),
    /**
     * Once per streak of anomalous minutes, identified by its first minute, and again in the streak only at a higher
     * severity (the rule knows the streak; marks in the minute, and in the key's profile for what outlives it).
     */
    ANOMALY_STREAK("the streak of anomalous minutes (again if the severity rises)"),
    /** Decided by the API that raises it. */
    API("decided by the API");

    private final String text;

    Dedup(String text) {
        this.text = text;
    }

    /** How the rule tables describe it. */
    public String text() {
        return text;
    }

    /** The length of a period window ({@link #INSECURE_PERIOD}, {@link #DAY}, {@link #WEEK}) for this key. */
    long periodMs(KeyThresholds thresholds) {
        return switch (this) {
            case DAY -> Evidence.DAY_MS;
            case WEEK -> Evidence.WEEK_MS;
            case INSECURE_PERIOD -> thresholds.getInt(InsecureTransportRule.PERIOD_HOURS) * Evidence.HOUR_MS;
            default -> throw new IllegalStateException(this + " is not a period window");
        };
    }

    /**
     * The start of the period window holding {@code epochMs}: UTC-aligned, and weeks from Monday 00:00 UTC (ISO), not
     * from the epoch's Thursday.
     */
    long windowStart(long epochMs, long periodMs) {
        return this == WEEK ? Evidence.weekStart(epochMs) : Evidence.windowStart(epochMs, periodMs);
    }
}
