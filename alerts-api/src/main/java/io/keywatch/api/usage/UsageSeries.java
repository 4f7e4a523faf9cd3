package io.keywatch.api.usage;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A key's usage as evenly spaced points over {@code [from, to)}: every step present, zeros where there was no traffic.
 * An hour sums its minutes, except distinct addresses, which do not add up: an hour shows its busiest minute's count
 * (a lower bound of the hour's).
 */
public final class UsageSeries {

    /** The most points one answer holds: a day of minutes. */
    public static final int MAX_POINTS = 1_440;

    /** One point: counts for the step starting at {@code t}, and the highest severity each rule raised in it. */
    public record Point(Instant t, long requests, long authFailures, long errors, int distinctIps,
                        Map<AlertRule, Severity> alerts) {
    }

    private UsageSeries() {
    }

    /** How many points {@code [floor(from), to)} needs at this step. */
    public static long pointCount(Instant from, Instant to, UsageStep step) {
        Instant start = step.floor(from);
        long stepMillis = step.duration().toMillis();
        long span = to.toEpochMilli() - start.toEpochMilli();
        return (span + stepMillis - 1) / stepMillis;
    }

    /** The points of {@code [floor(from), to)}, oldest first, from minutes in any order. */
    public static List<Point> of(List<UsageMinute> minutes, Instant from, Instant to, UsageStep step) {
        Instant start = step.floor(from);
        int count = Math.toIntExact(pointCount(from, to, step));
        long stepMillis = step.duration().toMillis();
        long[] requests = new long[count];
        long[] authFailures = new long[count];
        long[] errors = new long[count];
        int[] distinctIps = new int[count];
        List<Map<AlertRule, Severity>> alerts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            alerts.add(new EnumMap<>(AlertRule.class));
        }
        for (UsageMinute minute : minutes) {
            long offset = minute.start().toEpochMilli() - start.toEpochMilli();
            if (offset < 0 || !minute.start().isBefore(to)) {
                continue; // outside the range asked for
            }
            int i = (int) (offset / stepMillis);
            requests[i] += minute.requests();
            authFailures[i] += minute.authFailures();
            errors[i] += minute.errors();
            distinctIps[i] = Math.max(distinctIps[i], minute.distinctIps());
            minute.alerts().forEach((rule, severity) -> alerts.get(i).merge(rule, severity,
                    (a, b) -> a.isAtLeast(b) ? a : b));
        }
        List<Point> points = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            points.add(new Point(start.plusMillis(i * stepMillis), requests[i], authFailures[i], errors[i],
                    distinctIps[i], alerts.get(i)));
        }
        return points;
    }
}
