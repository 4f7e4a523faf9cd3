package io.keywatch.tools.evaluate.labelled;

import io.keywatch.tools.backtest.CountSeries;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A public request-count series with its labelled anomaly windows, ready to replay as one key's traffic.
 *
 * @param name    the series' name in its data set, e.g. {@code realTweets/Twitter_volume_AAPL.csv}
 * @param heldOut true when the series belongs to the held-out group (never looked at while tuning)
 * @param divisor each row's count was divided by this (and rounded) to keep the replay short; 1 when unscaled
 * @param series  the (scaled) counts, as one key's requests
 * @param windows the labelled windows, by start
 */
public record LabelledSeries(String name, boolean heldOut, int divisor, CountSeries series, List<Window> windows) {

    public LabelledSeries {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(series, "series");
        windows = List.copyOf(windows);
        if (divisor < 1) {
            throw new IllegalArgumentException("divisor must be at least 1, got " + divisor);
        }
    }

    public String group() {
        return heldOut ? "held-out" : "tuning";
    }

    /** How long the series lasts (first row's start to the last row's end), in hours: its key-hours. */
    public double keyHours() {
        List<CountSeries.Row> rows = series.rows();
        CountSeries.Row last = rows.get(rows.size() - 1);
        long millis = last.start().toEpochMilli() + last.length() - rows.get(0).start().toEpochMilli();
        return millis / (double) Duration.ofHours(1).toMillis();
    }

    /** The first {@code hours} hours of the series and the windows that start in them (for quick runs and tests). */
    public LabelledSeries firstHours(double hours) {
        List<CountSeries.Row> rows = series.rows();
        long end = rows.get(0).start().toEpochMilli() + (long) (hours * 3_600_000);
        List<CountSeries.Row> kept = rows.stream().filter(r -> r.start().toEpochMilli() < end).toList();
        List<Window> keptWindows = windows.stream().filter(w -> w.start().toEpochMilli() < end).toList();
        return new LabelledSeries(name, heldOut, divisor,
                CountSeries.of(series.keyId(), "nab", kept.size() >= 2 ? kept : rows.subList(0, 2)), keptWindows);
    }
}
