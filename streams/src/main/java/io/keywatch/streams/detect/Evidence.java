package io.keywatch.streams.detect;

import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.Map;

/** Small helpers the rules share to describe what they saw. */
final class Evidence {

    static final long MINUTE_MS = 60_000L;
    static final long HOUR_MS = 3_600_000L;
    static final long DAY_MS = 86_400_000L;
    static final long WEEK_MS = 7 * DAY_MS;
    /** The epoch (1970-01-01) was a Thursday: the first Monday 00:00 UTC after it is four days later. */
    private static final long FIRST_MONDAY_MS = 4 * DAY_MS;

    private Evidence() {
    }

    /** True when the event looks like the service accepted the key: auth OK and status absent or below 400. */
    static boolean accepted(UsageEvent event) {
        return event.authResult() == AuthResult.OK && (event.status() == null || event.status() < 400);
    }

    static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    static double round4(double value) {
        return Math.round(value * 10_000.0) / 10_000.0;
    }

    static void putIfPresent(Map<String, Object> evidence, String name, Object value) {
        if (value != null) {
            evidence.put(name, value);
        }
    }

    /** The event's own facts, for rules that fire on one request. */
    static void putEvent(Map<String, Object> evidence, UsageEvent event) {
        evidence.put("eventId", event.eventId());
        evidence.put("service", event.service());
        putIfPresent(evidence, "method", event.method());
        putIfPresent(evidence, "path", event.path());
        putIfPresent(evidence, "status", event.status());
        evidence.put("authResult", event.authResult().name());
        putIfPresent(evidence, "clientIp", event.clientIp());
        putIfPresent(evidence, "country", event.country());
        putIfPresent(evidence, "userAgent", event.userAgent());
    }

    /** The start of the window of {@code periodMs} (aligned to the epoch, so UTC hours and days) holding the time. */
    static long windowStart(long epochMs, long periodMs) {
        return epochMs - Math.floorMod(epochMs, periodMs);
    }

    /** The start of the ISO week (Monday 00:00 UTC) holding the time. */
    static long weekStart(long epochMs) {
        return epochMs - Math.floorMod(epochMs - FIRST_MONDAY_MS, WEEK_MS);
    }

    static String days(long ms) {
        return String.format(java.util.Locale.ROOT, "%.1f", ms / (double) DAY_MS);
    }

    static Instant instant(long epochMs) {
        return Instant.ofEpochMilli(epochMs);
    }
}
