package io.keywatch.tools.evaluate.labelled;

import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import io.keywatch.tools.backtest.Backtest;
import io.keywatch.tools.backtest.BacktestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Replays labelled series through the real detection topology offline ({@link Backtest}), one series (one key) per
 * run, and scores the alerts against the windows ({@link WindowScoring}). The headline is the volume rules'
 * ({@link Raised#isVolumeRule}); every rule that raised anything is scored on its own too.
 *
 * <p>Each series' key is registered before its first row (ACTIVE, created then, no expiry, no rate limit, no
 * allow-lists), as an operator's key would be, so that the registry rules judge a known key.
 */
public final class PublicEvaluation {

    /** After a window's end, an alert still counts as detecting it for this long (NAB's windows are already wide). */
    public static final Duration SLACK = Duration.ZERO;

    /** One series' outcome; {@code baseline}: the rolling-baseline detector's score on it (NONE without one). */
    public record SeriesResult(LabelledSeries series, long events, Duration elapsed, List<Raised> alerts,
                               WindowScore volume, Map<AlertRule, WindowScore> byRule, WindowScore baseline) {
        public SeriesResult {
            alerts = List.copyOf(alerts);
            byRule = Map.copyOf(byRule);
            Objects.requireNonNull(baseline, "baseline");
        }

        public SeriesResult(LabelledSeries series, long events, Duration elapsed, List<Raised> alerts,
                            WindowScore volume, Map<AlertRule, WindowScore> byRule) {
            this(series, events, elapsed, alerts, volume, byRule, WindowScore.NONE);
        }
    }

    /**
     * Every series' outcome, and the sums per group; {@code baseline}: the rolling-baseline detector scored beside
     * the volume rules and the settings tried to choose it on the tuning group, best first (null without one).
     */
    public record Result(List<SeriesResult> series, Duration slack, List<RollingBaseline.Trial> baseline) {
        public Result {
            series = List.copyOf(series);
            baseline = baseline == null ? null : List.copyOf(baseline);
        }

        public Result(List<SeriesResult> series, Duration slack) {
            this(series, slack, null);
        }

        /** The rolling baseline's score summed over a group (or all series, for null). */
        public WindowScore baselineScore(String group) {
            return series.stream().filter(s -> group == null || s.series().group().equals(group))
                    .map(SeriesResult::baseline).reduce(WindowScore.NONE, WindowScore::plus);
        }

        /** The volume rules' score summed over a group ("tuning", "held-out") or over all series (null). */
        public WindowScore volume(String group) {
            return series.stream().filter(s -> group == null || s.series().group().equals(group))
                    .map(SeriesResult::volume).reduce(WindowScore.NONE, WindowScore::plus);
        }

        /**
         * Each rule's score summed over a group (or all series, for null), for the volume rules and the rules that
         * raised alerts on any series, in rule order.
         */
        public Map<AlertRule, WindowScore> byRule(String group) {
            Map<AlertRule, WindowScore> sums = new EnumMap<>(AlertRule.class);
            TreeSet<AlertRule> rules = new TreeSet<>();
            series.forEach(s -> s.alerts().forEach(a -> rules.add(a.rule())));
            for (AlertRule rule : AlertRule.values()) {
                if (Raised.isVolumeRule(rule)) {
                    rules.add(rule);
                }
            }
            for (AlertRule rule : rules) {
                sums.put(rule, series.stream().filter(s -> group == null || s.series().group().equals(group))
                        .map(s -> s.byRule().getOrDefault(rule, WindowScore.NONE))
                        .reduce(WindowScore.NONE, WindowScore::plus));
            }
            return sums;
        }
    }

    private final Backtest backtest;
    private final WindowScoring scoring;
    private final List<RollingBaseline.Trial> baseline;

    public PublicEvaluation(Backtest backtest, Duration slack) {
        this(backtest, slack, null);
    }

    /**
     * @param baseline the rolling-baseline settings tried on the tuning group, best first; the first is scored beside
     *                 the volume rules on every series (null: none)
     */
    public PublicEvaluation(Backtest backtest, Duration slack, List<RollingBaseline.Trial> baseline) {
        this.backtest = Objects.requireNonNull(backtest, "backtest");
        this.scoring = new WindowScoring(slack);
        this.baseline = baseline == null || baseline.isEmpty() ? null : List.copyOf(baseline);
    }

    /** Replays and scores every series, telling {@code progress} about each in words. */
    public Result run(List<LabelledSeries> all, Consumer<String> progress) {
        List<SeriesResult> results = new ArrayList<>();
        for (LabelledSeries series : all) {
            results.add(run(series));
            SeriesResult r = results.get(results.size() - 1);
            progress.accept(String.format(java.util.Locale.ROOT,
                    "evaluate: %s (%s): %,d events in %.1f s, %d alerts, %d of %d windows detected by volume rules",
                    series.name(), series.group(), r.events(), r.elapsed().toMillis() / 1000.0, r.alerts().size(),
                    r.volume().detected(), r.volume().windows()));
        }
        return new Result(results, scoring.slack(), baseline);
    }

    /** Replays and scores one series. */
    public SeriesResult run(LabelledSeries series) {
        KeyState registration = registration(series);
        BacktestResult result = backtest.run(series.series().events(), List.of(registration));
        List<Raised> alerts = Raised.distinct(result.alerts());
        double keyHours = series.keyHours();
        WindowScore volume = scoring.score(series.windows(),
                alerts.stream().filter(Raised::volumeRule).toList(), keyHours);
        // every rule, alerts or not: a group's sum needs each series' windows and hours for every rule
        Map<AlertRule, WindowScore> byRule = new LinkedHashMap<>();
        for (AlertRule rule : AlertRule.values()) {
            List<Raised> ofRule = alerts.stream().filter(a -> a.rule() == rule).toList();
            byRule.put(rule, scoring.score(series.windows(), ofRule, keyHours));
        }
        WindowScore plain = baseline == null ? WindowScore.NONE : baseline.get(0).baseline().score(series, scoring);
        return new SeriesResult(series, result.events(), result.elapsed(), alerts, volume, byRule, plain);
    }

    private static KeyState registration(LabelledSeries series) {
        var first = series.series().rows().get(0).start();
        KeyMetadata metadata = new KeyMetadata("public-data-set", "nab", List.of("nab:read"), first, null, null,
                false, null, null, null);
        return new KeyState(series.series().keyId(), KeyStatus.ACTIVE, first, "registered (public series "
                + series.name() + ")", "evaluate", metadata);
    }
}
