package io.keywatch.simulator;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * A key's weekly traffic shape on top of its {@link DailyRhythm}: Saturdays and Sundays (UTC) at
 * {@code weekendFactor} of a weekday, and a Monday-morning ramp: still at the weekend's level until 06:00 UTC, up to
 * {@code mondayPeak} at 09:00 (the backlog of the weekend), back to a normal weekday by 13:00.
 */
public record WeeklyRhythm(double weekendFactor, double mondayPeak) {

    /** No weekly rhythm: every day alike. */
    public static final WeeklyRhythm FLAT = new WeeklyRhythm(1, 1);

    public WeeklyRhythm {
        if (!(weekendFactor > 0) || weekendFactor > 1 || !(mondayPeak >= 1) || mondayPeak > 5) {
            throw new IllegalArgumentException("weekendFactor must be in (0, 1] and mondayPeak in [1, 5], got "
                    + weekendFactor + " and " + mondayPeak);
        }
    }

    /** The multiplier on the key's rate at {@code time}. */
    public double factorAt(Instant time) {
        var utc = time.atOffset(ZoneOffset.UTC);
        DayOfWeek day = utc.getDayOfWeek();
        if (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) {
            return weekendFactor;
        }
        if (day != DayOfWeek.MONDAY) {
            return 1;
        }
        double hour = utc.getHour() + utc.getMinute() / 60.0 + utc.getSecond() / 3600.0;
        if (hour < 6) {
            return weekendFactor;
        }
        if (hour < 9) {
            return weekendFactor + (mondayPeak - weekendFactor) * (hour - 6) / 3;
        }
        if (hour < 13) {
            return mondayPeak + (1 - mondayPeak) * (hour - 9) / 4;
        }
        return 1;
    }
}
