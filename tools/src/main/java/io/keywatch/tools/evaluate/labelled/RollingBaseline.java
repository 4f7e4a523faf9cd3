package io.keywatch.tools.evaluate.labelled;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.tools.backtest.CountSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The plain detector the volume rules are measured against (issue #15: "a plain rolling mean and deviation does
 * better"), not part of the product: an interval of a series alerts when its count exceeds the mean + {@code z} x the
 * standard deviation of the intervals of the preceding {@code hours} hours, once per burst (the next alert needs an
 * interval at or below its threshold first), after {@code hours} hours of history. It fires when the interval is
 * complete (its end), the earliest a detector of interval counts can know it. Its severity follows keywatch's paging
 * floor: {@code HIGH} (a page) at or above {@code floorPerMinute} requests a minute, else {@code MEDIUM}.
 *
 * @param z              deviations above the mean
 * @param hours          the rolling window and the warm-up, in hours
 * @param floorPerMinute the paging floor (volume.floor), requests a minute
 */
public record RollingBaseline(double z, int hours, double floorPerMinute) {

    /** What {@link #tune} tries: z and the window in hours. */
    static final double[] Z_GRID = {2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30};
    static final int[] HOURS_GRID = {1, 3, 6, 24, 72, 168};
    /** The tuning criterion: a detected window is worth this many false alerts. */
    public static final int FALSE_ALERTS_PER_WINDOW = 10;

    public RollingBaseline {
        if (!(z > 0) || hours < 1 || !(floorPerMinute > 0)) {
            throw new IllegalArgumentException("a rolling baseline needs z > 0, hours >= 1 and a floor > 0");
        }
    }

    /** Its alerts over one series (rule VOLUME_SPIKE, so they are scored as volume alerts), in time order. */
    public List<Raised> alerts(LabelledSeries series) {
        List<CountSeries.Row> rows = series.series().rows();
        long span = Duration.ofHours(hours).toMillis();
        long first = rows.get(0).start().toEpochMilli();
        ArrayDeque<CountSeries.Row> window = new ArrayDeque<>();
        double sum = 0;
        double squares = 0;
        boolean inBurst = false;
        List<Raised> alerts = new ArrayList<>();
        for (CountSeries.Row row : rows) {
            long start = row.start().toEpochMilli();
            while (!window.isEmpty() && window.peekFirst().start().toEpochMilli() < start - span) {
                CountSeries.Row old = window.pollFirst();
                sum -= old.requests();
                squares -= (double) old.requests() * old.requests();
            }
            if (start - first >= span && !window.isEmpty()) {
                int n = window.size();
                double mean = sum / n;
                double sd = Math.sqrt(Math.max(0, squares / n - mean * mean));
                boolean high = row.requests() > mean + z * sd;
                if (high && !inBurst) {
                    Instant at = row.start().plusMillis(row.length());
                    double perMinute = row.requests() * 60_000.0 / Math.max(1, row.length());
                    alerts.add(new Raised("baseline-" + series.series().keyId() + "-" + start, AlertRule.VOLUME_SPIKE,
                            at, perMinute >= floorPerMinute ? Severity.HIGH : Severity.MEDIUM));
                }
                inBurst = high;
            }
            window.addLast(row);
            sum += row.requests();
            squares += (double) row.requests() * row.requests();
        }
        return List.copyOf(alerts);
    }

    /** Its score over one series. */
    public WindowScore score(LabelledSeries series, WindowScoring scoring) {
        return scoring.score(series.windows(), alerts(series), series.keyHours());
    }

    /** Its score summed over several series. */
    public WindowScore score(List<LabelledSeries> series, WindowScoring scoring) {
        return series.stream().map(s -> score(s, scoring)).reduce(WindowScore.NONE, WindowScore::plus);
    }

    /** One setting tried while tuning, and how it did. */
    public record Trial(RollingBaseline baseline, WindowScore score) {
        public double value() {
            return score.detected() - score.falseAlerts() / (double) FALSE_ALERTS_PER_WINDOW;
        }
    }

    /**
     * Every setting of the grid over {@code tuning} (the tuning group only: the held-out group is never looked at
     * while choosing), best first: most windows detected less a tenth of a window per false alert.
     */
    public static List<Trial> tune(List<LabelledSeries> tuning, WindowScoring scoring, double floorPerMinute) {
        List<Trial> trials = new ArrayList<>();
        for (double z : Z_GRID) {
            for (int hours : HOURS_GRID) {
                RollingBaseline baseline = new RollingBaseline(z, hours, floorPerMinute);
                trials.add(new Trial(baseline, baseline.score(tuning, scoring)));
            }
        }
        trials.sort(Comparator.comparingDouble(Trial::value).reversed());
        return List.copyOf(trials);
    }

    public String label() {
        return String.format(Locale.ROOT, "rolling mean + %.0f sd of %d h", z, hours);
    }
}
