package io.keywatch.tools.evaluate;

import com.fasterxml.jackson.databind.SerializationFeature;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.events.Alert;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.SafeText;
import io.keywatch.simulator.MixedDay;
import io.keywatch.simulator.MixedWeek;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.standalone.Folders;
import io.keywatch.streams.detect.VolumeSpikeRule;
import io.keywatch.tools.backtest.Backtest;
import io.keywatch.tools.backtest.BacktestResult;
import io.keywatch.tools.backtest.ConsoleLogs;
import io.keywatch.tools.backtest.InputException;
import io.keywatch.tools.evaluate.labelled.LabelledSeries;
import io.keywatch.tools.evaluate.labelled.NabDataset;
import io.keywatch.tools.evaluate.labelled.PublicEvaluation;
import io.keywatch.tools.evaluate.labelled.PublicReport;
import io.keywatch.tools.evaluate.labelled.RollingBaseline;
import io.keywatch.tools.evaluate.labelled.WindowScoring;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code keywatch-tools evaluate}: a simulated day with one incident of every kind, replayed through the backtest (and,
 * with {@code --live}, through the live pipeline on an embedded Kafka broker), the alerts scored against the day's
 * ground truth.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 2,
        description = {
                "Simulate a UTC day of usage with one injected incident of every kind (as simulate-day does), replay "
                        + "it through keywatch's detection topology offline (as backtest does), and score the alerts "
                        + "against the day's ground truth: per incident, whether its expected rule fired on its key "
                        + "between its start and " + MixedDayEvaluation.SLACK_MINUTES + " min after its end, and how "
                        + "fast; every alert that no incident and no expected registry finding explains is a false "
                        + "positive, also given per 10,000 key-hours (keys x 24 h).",
                "With --live, the same day also runs through the live pipeline (keywatch streams on an embedded "
                        + "Kafka broker in a temporary folder, on a free port, topics of one partition like the "
                        + "backtest's) and the two alert sets are compared by id, rule, key, window and highest "
                        + "severity.",
                "With --week, several simulated days (a week by default) with a weekly rhythm, quiet keys, "
                        + "small-key leaks and level shifts, scored per scenario and per rule. With --public, the "
                        + "bundled public labelled series (NAB) instead of the simulator, scored against their "
                        + "anomaly windows for a tuning and a held-out group.",
                "The table goes to stdout; progress to stderr. Thresholds come from KEYWATCH_DETECT_* in the "
                        + "environment, overridden by --env.",
                "Exit status: 0 every incident detected (and, with --live, live equal to the backtest; with "
                        + "--week, every scenario as expected; with --public, always once scored); 1 an incident "
                        + "missed or live different; 2 bad arguments."})
public final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keys", defaultValue = "50",
            description = "Number of keys, at least " + MixedDay.MIN_KEYS + " (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "The UTC day to simulate (required unless "
            + "--public).")
    LocalDate day;

    @Option(names = "--public", arity = "0..1", paramLabel = "DIR", fallbackValue = NabDataset.DEFAULT_DIR,
            description = {"Instead of a simulated day: replay the bundled public labelled series (default folder "
                    + NabDataset.DEFAULT_DIR + ", relative to the working directory: run from the repository's "
                    + "root) one key per series, and score the volume rules' alerts (and every rule's) against the "
                    + "labelled anomaly windows: windows detected, time to detect, false alerts and false alerts "
                    + "per 10,000 key-hours, per series, for the tuning and the held-out group. Markdown on stdout."})
    Path publicDir;

    @Option(names = "--max-hours", paramLabel = "HOURS", description = {
            "With --public: replay only the first HOURS hours of each series (and its windows that start in them), "
                    + "for a quick look."})
    Double maxHours;

    @Option(names = "--group", paramLabel = "GROUP", description = {
            "With --public: replay only the series of one group, tuning or held-out (the rolling baseline is still "
                    + "chosen on the tuning group)."})
    String group;

    @Option(names = "--series", paramLabel = "GLOB", description = {
            "With --public: replay only the series whose name matches GLOB, e.g. 'realTweets/*' or '*cpu*'."})
    String seriesGlob;

    @Option(names = "--min-rate", paramLabel = "PER_MINUTE",
            description = "The quietest key's mean requests per minute (default: 2; 0.2 with --week).")
    Double minRateOption;

    @Option(names = "--max-rate", paramLabel = "PER_MINUTE",
            description = "The busiest key's mean requests per minute (default: 120; 20 with --week, which keeps "
                    + "a week of 50 keys to minutes).")
    Double maxRateOption;

    @Option(names = "--week", description = {
            "Instead of one mixed day: simulate --days days (default 7) from --day (a Monday gives a whole week) "
                    + "with a weekly rhythm (weekends at 20-30 %%, a Monday-morning ramp), quiet keys from 0.2 "
                    + "requests/min, and its scenarios: two busy keys leaked (weekday, weekend), two ~5/min keys "
                    + "leaked to one scraper each (+60/min from one IP for 30 min), two keys whose volume steps up "
                    + "x3 and stays (at most one alert is correct). Prints per scenario and per rule: detection, "
                    + "time to detect, false alerts per 10,000 key-hours."})
    boolean week;

    @Option(names = "--days", paramLabel = "N", defaultValue = "7", description = {
            "With --week: how many days to simulate, " + MixedWeek.MIN_DAYS + " to " + MixedWeek.MAX_DAYS
                    + " (default: ${DEFAULT-VALUE})."})
    int days;

    double minRate;
    double maxRate;

    @Option(names = "--live", description = {
            "Also run the day through the live pipeline on an embedded Kafka broker and compare its alerts with the "
                    + "backtest's. Needs a day that has ended (Kafka refuses records more than an hour in the "
                    + "future). Takes longer than the backtest: the live topology commits under exactly-once."})
    boolean live;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path json;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = {
            "Override a setting for this run, e.g. --env KEYWATCH_DETECT_VOLUME_FACTOR=8. Repeatable."})
    Map<String, String> env = new LinkedHashMap<>();

    /** The environment settings are read from; tests replace it. */
    Map<String, String> baseEnv = System.getenv();
    /** The clock that says whether a day has ended; tests replace it. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String problem = checkArguments();
        if (problem != null) {
            err.println("keywatch-tools evaluate: " + problem);
            err.println("Try 'keywatch-tools evaluate --help' for the options.");
            err.flush();
            return 2;
        }
        Map<String, String> settingsEnv = new HashMap<>(baseEnv);
        settingsEnv.putAll(env);
        if (publicDir != null) {
            return runPublic(settingsEnv, out, err);
        }
        if (week) {
            return runWeek(settingsEnv, out, err);
        }
        Backtest backtest;
        MixedDay mixed;
        try {
            backtest = Backtest.fromEnv(settingsEnv);
            mixed = new MixedDay(SimulatorSettings.DEFAULTS.withSeed(seed).withKeys(keys).withRates(minRate, maxRate),
                    day);
        } catch (IllegalArgumentException e) {
            err.println("keywatch-tools evaluate: " + e.getMessage());
            err.flush();
            return 2;
        }
        try (ConsoleLogs ignored = ConsoleLogs.toStderr()) {
            return run(mixed, backtest, settingsEnv, out, err);
        }
    }

    private int run(MixedDay mixed, Backtest backtest, Map<String, String> settingsEnv, PrintWriter out,
                    PrintWriter err) {
        err.println(String.format(Locale.ROOT, "evaluate: %s, %d keys (%.4g to %.4g requests per minute), seed %d, "
                        + "%d incidents; backtest ...", day, keys, minRate, maxRate, seed, mixed.incidents().size()));
        err.flush();
        BacktestResult result;
        try (DayEvents events = new DayEvents(mixed)) {
            result = backtest.run(events, mixed.keyStateFeed(), new Backtest.Listener() {
                @Override
                public void onProgress(Backtest.Progress progress) {
                    err.println(String.format(Locale.ROOT, "backtest: %,d events, %,.0f events/s, event time %s",
                            progress.events(), progress.eventsPerSecond(), progress.eventTime()));
                    err.flush();
                }
            });
        }
        err.println(String.format(Locale.ROOT, "backtest: replayed %,d events in %.1f s (%,.0f events/s), %,d alerts, "
                        + "%,d dead-lettered, %,d late", result.events(), seconds(result.elapsed()),
                result.events() / Math.max(0.001, seconds(result.elapsed())), result.alerts().size(),
                result.deadLettered(), result.late()));
        err.flush();
        MixedDayEvaluation evaluation = MixedDayEvaluation.score(mixed, result.alerts());
        out.println(String.format(Locale.ROOT, "keywatch-tools evaluate: %s, %d keys, seed %d, %,d events (backtest)", day,
                keys, seed, result.events()));
        EvaluationReport.print(out, evaluation);

        Map<String, Object> report = new LinkedHashMap<>(EvaluationReport.toJson(evaluation));
        report.put("events", result.events());
        report.put("backtestSeconds", seconds(result.elapsed()));
        boolean liveEqual = true;
        if (live) {
            LiveOutcome outcome = runLive(mixed, settingsEnv, result.alerts(), err);
            liveEqual = outcome.comparison().equal();
            printComparison(out, outcome);
            report.put("live", liveJson(outcome));
        }
        if (json != null) {
            if (!writeJson(report, err)) {
                return 2;
            }
        }
        out.flush();
        err.flush();
        return evaluation.allDetected() && liveEqual ? 0 : 1;
    }

    /** The live run and how it compares with the backtest. */
    record LiveOutcome(LiveReplay.Result result, AlertSetComparison comparison) {
    }

    private LiveOutcome runLive(MixedDay mixed, Map<String, String> settingsEnv, List<Alert> backtestAlerts,
                                PrintWriter err) {
        Path dir;
        try {
            dir = Files.createTempDirectory("keywatch-evaluate-");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            err.println("live: starting an embedded Kafka broker in " + dir + " ...");
            err.flush();
            try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
                err.println("live: broker at " + broker.bootstrapServers());
                err.flush();
                LiveReplay replay = new LiveReplay(broker.bootstrapServers(), settingsEnv, dir);
                LiveReplay.Result result;
                try (DayEvents events = new DayEvents(mixed)) {
                    result = replay.run(events, mixed.keyStateFeed(), line -> {
                        err.println(line);
                        err.flush();
                    });
                }
                err.println(String.format(Locale.ROOT, "live: %,d events in %.1f s (published in %.1f s), %,d alerts, "
                                + "%,d dead-lettered", result.events(), seconds(result.elapsed()),
                        seconds(result.publishTime()), result.alerts().size(), result.deadLettered()));
                err.flush();
                return new LiveOutcome(result,
                        MixedDayEvaluation.compareLiveWithBacktest(mixed, backtestAlerts, result.alerts()));
            }
        } finally {
            deleteQuietly(dir, err);
        }
    }

    private static void printComparison(PrintWriter out, LiveOutcome outcome) {
        AlertSetComparison comparison = outcome.comparison();
        out.println();
        out.println(String.format(Locale.ROOT, "live pipeline: %,d events, %,d alerts (%,d distinct) in %.1f s; "
                        + "backtest: %,d distinct alerts", outcome.result().events(), outcome.result().alerts().size(),
                comparison.actualCount(), seconds(outcome.result().elapsed()), comparison.expectedCount()));
        if (comparison.identical()) {
            out.println("live = backtest: the same alerts (by id, rule, key, window start and highest severity)");
        } else if (comparison.equal()) {
            out.println("live = backtest for every alert of the day (by id, rule, key, window start and highest "
                    + "severity); hygiene alerts raised while the weeks before the day were replayed differ, because "
                    + MixedDayEvaluation.SCAN_TIMING + ":");
        } else {
            out.println("live != backtest:");
            comparison.describe("backtest", "live").forEach(line -> out.println("  " + line));
            if (!comparison.describeTolerated("backtest", "live").isEmpty()) {
                out.println("and, set apart, hygiene alerts of the replayed weeks before the day, because "
                        + MixedDayEvaluation.SCAN_TIMING + ":");
            }
        }
        comparison.describeTolerated("backtest", "live").forEach(line -> out.println("  " + line));
        out.flush();
    }

    private static Map<String, Object> liveJson(LiveOutcome outcome) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("events", outcome.result().events());
        json.put("deadLettered", outcome.result().deadLettered());
        json.put("alertsEmitted", outcome.result().alerts().size());
        json.put("alertsDistinct", outcome.comparison().actualCount());
        json.put("seconds", seconds(outcome.result().elapsed()));
        json.put("equalToBacktest", outcome.comparison().equal());
        json.put("identicalToBacktest", outcome.comparison().identical());
        json.put("differences", outcome.comparison().describe("backtest", "live"));
        json.put("historyGapDifferences", outcome.comparison().describeTolerated("backtest", "live"));
        return json;
    }

    private int runPublic(Map<String, String> settingsEnv, PrintWriter out, PrintWriter err) {
        Backtest backtest;
        try {
            backtest = Backtest.fromEnv(settingsEnv).withProgressInterval(Duration.ofDays(1));
        } catch (IllegalArgumentException e) {
            err.println("keywatch-tools evaluate: " + e.getMessage());
            err.flush();
            return 2;
        }
        long started = System.nanoTime();
        List<LabelledSeries> series;
        try {
            series = NabDataset.load(publicDir);
        } catch (InputException e) {
            err.println("keywatch-tools evaluate: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (maxHours != null) {
            series = series.stream().map(s -> s.firstHours(maxHours)).toList();
        }
        // the baseline's z and window are chosen on the tuning group only, whatever is replayed
        List<RollingBaseline.Trial> baseline = RollingBaseline.tune(
                series.stream().filter(s -> !s.heldOut()).toList(), new WindowScoring(PublicEvaluation.SLACK),
                backtest.settings().detection().get(VolumeSpikeRule.FLOOR));
        series = series.stream().filter(s -> group == null || s.group().equals(group))
                .filter(s -> seriesGlob == null || matches(seriesGlob, s.name())).toList();
        if (series.isEmpty()) {
            err.println("keywatch-tools evaluate: no public series matches --group/--series");
            err.flush();
            return 2;
        }
        err.println(String.format(Locale.ROOT, "evaluate: %d public series from %s (%d held out)%s ...",
                series.size(), publicDir, series.stream().filter(LabelledSeries::heldOut).count(),
                maxHours == null ? "" : ", first " + maxHours + " h of each"));
        err.flush();
        PublicEvaluation.Result result;
        try (ConsoleLogs ignored = ConsoleLogs.toStderr()) {
            result = new PublicEvaluation(backtest, PublicEvaluation.SLACK, baseline).run(series, line -> {
                err.println(line);
                err.flush();
            });
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println(String.format(Locale.ROOT, "## keywatch-tools evaluate --public %s: %d series, %.0f s", publicDir,
                series.size(), seconds));
        out.println();
        PublicReport.print(out, result);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>(PublicReport.toJson(result));
            report.put("seconds", Math.round(seconds * 10) / 10.0);
            if (!writeJson(report, err)) {
                return 2;
            }
        }
        out.flush();
        err.flush();
        return 0;
    }

    private int runWeek(Map<String, String> settingsEnv, PrintWriter out, PrintWriter err) {
        Backtest backtest;
        MixedWeek simulated;
        try {
            backtest = Backtest.fromEnv(settingsEnv).withProgressInterval(Duration.ofSeconds(30));
            simulated = new MixedWeek(SimulatorSettings.DEFAULTS.withSeed(seed).withKeys(keys)
                    .withRates(minRate, maxRate), day, days);
        } catch (IllegalArgumentException e) {
            err.println("keywatch-tools evaluate: " + e.getMessage());
            err.flush();
            return 2;
        }
        err.println(String.format(Locale.ROOT, "evaluate: %d days from %s, %d keys (%.4g to %.4g requests per "
                        + "minute), seed %d, %d scenarios; backtest ...", days, day, keys, minRate, maxRate, seed,
                simulated.incidents().size()));
        err.flush();
        BacktestResult result;
        try (ConsoleLogs ignored = ConsoleLogs.toStderr();
             DayEvents events = new DayEvents(simulated::generate)) {
            result = backtest.run(events, simulated.keyStateFeed(), new Backtest.Listener() {
                @Override
                public void onProgress(Backtest.Progress progress) {
                    err.println(String.format(Locale.ROOT, "backtest: %,d events, %,.0f events/s, event time %s",
                            progress.events(), progress.eventsPerSecond(), progress.eventTime()));
                    err.flush();
                }
            });
        }
        WeekEvaluation evaluation = WeekEvaluation.score(simulated, result.alerts());
        out.println(String.format(Locale.ROOT, "## keywatch-tools evaluate --week: %d days from %s, %d keys (%.4g to %.4g "
                        + "requests/min), seed %d, %,d events, backtest %.0f s", days, day, keys, minRate, maxRate,
                seed, result.events(), seconds(result.elapsed())));
        out.println();
        WeekReport.print(out, evaluation);
        if (json != null) {
            Map<String, Object> report = new LinkedHashMap<>(WeekReport.toJson(evaluation));
            report.put("events", result.events());
            report.put("backtestSeconds", seconds(result.elapsed()));
            if (!writeJson(report, err)) {
                return 2;
            }
        }
        out.flush();
        err.flush();
        return evaluation.allAsExpected() ? 0 : 1;
    }

    /** Writes the report to {@code --json}; false (said on stderr) when it cannot. */
    private boolean writeJson(Map<String, Object> report, PrintWriter err) {
        try {
            KeywatchJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
            err.println("evaluate: wrote " + json);
            return true;
        } catch (IOException e) {
            err.println("keywatch-tools evaluate: cannot write --json " + json + ": " + e.getMessage());
            err.flush();
            return false;
        }
    }

    private String checkArguments() {
        minRate = minRateOption != null ? minRateOption : week ? 0.2 : 2;
        maxRate = maxRateOption != null ? maxRateOption : week ? 20 : 120;
        if (week && (publicDir != null || live)) {
            return "--week simulates days; --public and --live do not go with it";
        }
        if (!week && days != MixedWeek.DEFAULT_DAYS) {
            return "--days goes with --week";
        }
        if (publicDir == null && day == null) {
            return "give --day YYYY-MM-DD (a simulated day) or --public [DIR] (the bundled public series)";
        }
        if (publicDir != null && (day != null || live)) {
            return "--public replays the bundled series; --day and --live go with a simulated day";
        }
        if ((group != null || seriesGlob != null) && publicDir == null) {
            return "--group and --series go with --public";
        }
        if (group != null && !group.equals("tuning") && !group.equals("held-out")) {
            return "--group is tuning or held-out, got " + SafeText.quote(group);
        }
        if (maxHours != null && (publicDir == null || !(maxHours > 0))) {
            return "--max-hours takes a positive number of hours and goes with --public";
        }
        if (publicDir != null) {
            return checkEnv();
        }
        if (week && (keys < MixedWeek.MIN_KEYS || keys > SimulatorSettings.MAX_KEYS)) {
            return "--keys must be between " + MixedWeek.MIN_KEYS + " and " + SimulatorSettings.MAX_KEYS
                    + " with --week, got " + keys;
        }
        if (!week && (keys < MixedDay.MIN_KEYS || keys > SimulatorSettings.MAX_KEYS)) {
            return "--keys must be between " + MixedDay.MIN_KEYS + " (every incident needs its own key) and "
                    + SimulatorSettings.MAX_KEYS + ", got " + keys;
        }
        if (!(minRate > 0) || !(maxRate >= minRate) || Double.isInfinite(maxRate)) {
            return "rates must satisfy 0 < --min-rate <= --max-rate, got " + minRate + " and " + maxRate;
        }
        if (live && day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().isAfter(clock.instant())) {
            return "--live needs a day that has ended (Kafka refuses records more than an hour ahead of its clock, "
                    + "and the topology dead-letters them); " + day + " ends after now";
        }
        return checkEnv();
    }

    private String checkEnv() {
        for (String name : env.keySet()) {
            if (!name.startsWith("KEYWATCH_")) {
                return "--env takes keywatch settings (KEYWATCH_...), got '" + name + "'";
            }
        }
        return null;
    }

    /** Whether a series name matches a glob: {@code *} any characters ('/' too), {@code ?} one; nothing else. */
    static boolean matches(String glob, String name) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("((?<=[*?])|(?=[*?]))")) {
            regex.append(part.equals("*") ? ".*" : part.equals("?") ? "." : java.util.regex.Pattern.quote(part));
        }
        return name.matches(regex.toString());
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private static void deleteQuietly(Path dir, PrintWriter err) {
        try {
            Folders.deleteRecursively(dir);
        } catch (UncheckedIOException e) {
            err.println("evaluate: " + e.getMessage());
        }
    }

}
