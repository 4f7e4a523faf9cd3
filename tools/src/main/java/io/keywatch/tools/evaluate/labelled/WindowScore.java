package io.keywatch.tools.evaluate.labelled;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How alerts fared against labelled windows, for one series or summed over several.
 *
 * @param windows       labelled windows
 * @param detected      windows with at least one alert inside (up to the slack after the end)
 * @param timesToDetect for each detected window, its first alert's time minus the window's start
 * @param alerts        distinct alerts scored
 * @param falseAlerts   alerts outside every window (and its slack)
 * @param falseBursts   the false alerts grouped into bursts: a burst ends when the next false alert comes more than
 *                      {@link WindowScoring#BURST_GAP} later (what a person on call is paged by, roughly)
 * @param falsePages    false alerts that page a person ({@code HIGH} or {@code CRITICAL}); the rest are
 *                      {@code MEDIUM} or {@code LOW} (a queue, not a page)
 * @param keyHours      hours of the series (one key each), summed
 * @param silentSeries  series (of those summed) on which no alert was raised at all
 * @param series        series summed
 */
public record WindowScore(int windows, int detected, List<Duration> timesToDetect, int alerts, int falseAlerts,
                          int falseBursts, int falsePages, double keyHours, int silentSeries, int series) {

    public static final WindowScore NONE = new WindowScore(0, 0, List.of(), 0, 0, 0, 0, 0, 0, 0);

    public WindowScore {
        timesToDetect = List.copyOf(timesToDetect);
    }

    /** False alerts per 10,000 key-hours; 0 over no time. */
    public double falseAlertsPer10kKeyHours() {
        return keyHours <= 0 ? 0 : falseAlerts * 10_000.0 / keyHours;
    }

    /** False pages ({@code HIGH+}) per 10,000 key-hours; 0 over no time. */
    public double falsePagesPer10kKeyHours() {
        return keyHours <= 0 ? 0 : falsePages * 10_000.0 / keyHours;
    }

    /** Detected windows as a fraction of all; 0 without windows. */
    public double detectionRate() {
        return windows == 0 ? 0 : (double) detected / windows;
    }

    public Optional<Duration> medianTimeToDetect() {
        if (timesToDetect.isEmpty()) {
            return Optional.empty();
        }
        List<Duration> sorted = timesToDetect.stream().sorted().toList();
        int n = sorted.size();
        return Optional.of(n % 2 == 1 ? sorted.get(n / 2) : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
    }

    public Optional<Duration> maxTimeToDetect() {
        return timesToDetect.stream().max(Duration::compareTo);
    }

    /** This score and {@code other} summed (several series, one group). */
    public WindowScore plus(WindowScore other) {
        List<Duration> times = new ArrayList<>(timesToDetect);
        times.addAll(other.timesToDetect);
        return new WindowScore(windows + other.windows, detected + other.detected, times, alerts + other.alerts,
                falseAlerts + other.falseAlerts, falseBursts + other.falseBursts, falsePages + other.falsePages,
                keyHours + other.keyHours, silentSeries + other.silentSeries,
                series + other.series);
    }
}
