package io.keywatch.tools.evaluate.labelled;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores one series' alerts against its labelled windows. A window is <em>detected</em> when an alert fired in
 * {@code [start, end + slack]}; its time to detect is the first such alert's time minus the window's start. An alert
 * inside no window (slack included) is a <em>false alert</em>. Which alerts to score (all, a rule's, the volume
 * rules') is the caller's choice: pass only those.
 */
public final class WindowScoring {

    /** False alerts closer than this to the previous one belong to its burst. */
    public static final Duration BURST_GAP = Duration.ofHours(1);

    private final Duration slack;

    public WindowScoring(Duration slack) {
        this.slack = Objects.requireNonNull(slack, "slack");
        if (slack.isNegative()) {
            throw new IllegalArgumentException("slack must not be negative, got " + slack);
        }
    }

    public Duration slack() {
        return slack;
    }

    /** The score of {@code alerts} (distinct, see {@link Raised#distinct}) over one series of {@code keyHours}. */
    public WindowScore score(List<Window> windows, List<Raised> alerts, double keyHours) {
        int detected = 0;
        List<Duration> times = new ArrayList<>();
        for (Window window : windows) {
            Instant first = null;
            for (Raised alert : alerts) {
                if (inside(window, alert.at()) && (first == null || alert.at().isBefore(first))) {
                    first = alert.at();
                }
            }
            if (first != null) {
                detected++;
                times.add(Duration.between(window.start(), first));
            }
        }
        List<Raised> falseAlerts = alerts.stream()
                .filter(alert -> windows.stream().noneMatch(w -> inside(w, alert.at()))).toList();
        List<Instant> falseTimes = falseAlerts.stream().map(Raised::at).sorted().toList();
        int pages = (int) falseAlerts.stream().filter(Raised::pages).count();
        int bursts = 0;
        for (int i = 0; i < falseTimes.size(); i++) {
            if (i == 0 || Duration.between(falseTimes.get(i - 1), falseTimes.get(i)).compareTo(BURST_GAP) > 0) {
                bursts++;
            }
        }
        return new WindowScore(windows.size(), detected, times, alerts.size(), falseTimes.size(), bursts, pages,
                keyHours, alerts.isEmpty() ? 1 : 0, 1);
    }

    private boolean inside(Window window, Instant at) {
        return !at.isBefore(window.start()) && !at.isAfter(window.end().plus(slack));
    }
}
