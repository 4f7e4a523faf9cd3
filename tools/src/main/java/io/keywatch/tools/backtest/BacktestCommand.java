package io.keywatch.tools.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keywatch-tools backtest}: the alerts the topology would have raised over history, offline. */
@Command(name = "backtest", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 2,
        description = {
                "Replay history through keywatch's detection topology offline (no Kafka, no PostgreSQL) and print "
                        + "the alerts it would have raised, to tune thresholds before automatic revocation is "
                        + "switched on.",
                "Alerts go to stdout (or --out) as JSON lines, each with triggeredAt, the event time at which it "
                        + "fired. A summary per rule, progress every 5 s and bad input lines go to stderr.",
                "Thresholds come from KEYWATCH_DETECT_* in the environment, overridden by --env.",
                "Exit status: 0 done; 2 bad arguments or unusable input file."})
public final class BacktestCommand implements Callable<Integer> {

    /** Bad event lines shown one by one; the rest are only counted. */
    static final int MAX_BAD_LINES_SHOWN = 100;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", paramLabel = "FILE", description = {
            "Usage events as JSON lines in the wire format (see the README), in time order: an event more than "
                    + "the grace period (KEYWATCH_STREAMS_GRACE_SECONDS, default 30 s) behind the newest is "
                    + "dropped, as it would be live. Streamed: any size works. A line that is not a valid event "
                    + "is reported with its line number and skipped."})
    Path events;

    @Option(names = "--sort", description = "Sort --events by event time in memory before replaying them "
            + "(for files not in time order; needs memory for the whole file).")
    boolean sort;

    @Option(names = "--counts", paramLabel = "FILE", description = {
            "Instead of --events: one key's request counts as CSV 'timestamp,value' (header optional), one row "
                    + "per interval, such as an API gateway's 5-minute export. Each row becomes that many "
                    + "requests (auth OK, status 200) spread evenly over its interval (up to the next row; the "
                    + "last row's interval is the one before it). Needs --key."})
    Path counts;

    @Option(names = "--key", paramLabel = "KEY_ID", description = "The key the --counts series belongs to.")
    String key;

    @Option(names = "--service", paramLabel = "NAME", defaultValue = "api-gateway",
            description = "Service named on the --counts requests (default: ${DEFAULT-VALUE}).")
    String service;

    @Option(names = "--keys", paramLabel = "FILE", description = {
            "Key registry: JSON lines of key states with metadata (what simulate-day --registry writes), fed to "
                    + "the key-state topic so that registry rules work. Each state takes effect at its "
                    + "changedAt; every listed key counts as registered from the start."})
    Path keys;

    @Option(names = "--env", paramLabel = "NAME=VALUE", description = {
            "Override a setting for this run, e.g. --env KEYWATCH_DETECT_VOLUME_FACTOR=8. Repeatable."})
    Map<String, String> env = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the alerts to FILE instead of stdout.")
    Path out;

    /** The environment settings are read from; tests replace it. */
    Map<String, String> baseEnv = System.getenv();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String problem = checkArguments();
        if (problem != null) {
            return usageError(err, problem);
        }
        Map<String, String> settingsEnv = new HashMap<>(baseEnv);
        settingsEnv.putAll(env);
        Backtest backtest;
        try {
            backtest = Backtest.fromEnv(settingsEnv);
        } catch (IllegalArgumentException e) {
            return usageError(err, "invalid setting: " + e.getMessage());
        }
        try (ConsoleLogs ignored = ConsoleLogs.toStderr()) {
            return run(backtest, err);
        } catch (InputException e) {
            err.println("keywatch-tools backtest: " + e.getMessage());
            err.flush();
            return 2;
        }
    }

    private Integer run(Backtest backtest, PrintWriter err) {
        List<KeyState> registry = keys == null ? List.of() : KeyStateFile.read(keys);
        BadLines badLines = new BadLines(err);
        Iterator<UsageEvent> input;
        EventLines streamed = null;
        long[] sortedBadLines = {0};
        String inputName;
        if (counts != null) {
            CountSeries series = CountSeries.read(counts, key, service);
            input = series.events();
            inputName = String.format(Locale.ROOT, "%s (%,d rows, %,d requests for key %s)", counts,
                    series.rows().size(), series.totalRequests(), key);
        } else if (sort) {
            EventLines.Sorted sorted = EventLines.readSorted(events, badLines);
            input = sorted.events().iterator();
            sortedBadLines[0] = sorted.badLines();
            inputName = events + " (sorted)";
        } else {
            streamed = EventLines.open(events, badLines);
            input = streamed;
            inputName = events.toString();
        }
        Writer writer;
        try {
            writer = out == null ? spec.commandLine().getOut()
                    : Files.newBufferedWriter(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            if (streamed != null) {
                streamed.close();
            }
            throw new InputException("cannot write --out " + out + ": " + EventLines.describe(e), e);
        }
        AlertWriter alerts = new AlertWriter(writer);
        err.println("backtest: replaying " + inputName + (keys == null ? "" : " with " + registry.size()
                + " key states from " + keys) + " ...");
        err.flush();
        BacktestResult result;
        try {
            result = backtest.run(input, registry, new Backtest.Listener() {
                @Override
                public void onAlert(Alert alert) {
                    alerts.write(alert);
                }

                @Override
                public void onProgress(Backtest.Progress progress) {
                    err.println(String.format(Locale.ROOT, "backtest: %,d events read, %,.0f events/s, event time %s",
                            progress.events(), progress.eventsPerSecond(), progress.eventTime()));
                    err.flush();
                }
            });
        } catch (UncheckedIOException e) {
            throw new InputException(e.getMessage(), e); // reading the input or writing the alerts failed
        } finally {
            if (streamed != null) {
                streamed.close();
            }
            alerts.finish(out != null);
        }
        long bad = streamed != null ? streamed.badLines() : sortedBadLines[0];
        new Summary(result, bad).print(err);
        if (out != null) {
            err.println("backtest: " + result.alerts().size() + " alerts written to " + out);
        }
        err.flush();
        return 0;
    }

    private String checkArguments() {
        if ((events == null) == (counts == null)) {
            return "give either --events FILE or --counts FILE with --key KEY_ID";
        }
        if (counts != null && (key == null || key.isBlank())) {
            return "--counts needs --key KEY_ID, the key the counts belong to";
        }
        if (counts == null && key != null) {
            return "--key goes with --counts; events carry their own key ids";
        }
        if (sort && events == null) {
            return "--sort goes with --events";
        }
        for (String name : env.keySet()) {
            if (!name.startsWith("KEYWATCH_")) {
                return "--env takes keywatch settings (KEYWATCH_...), got '" + name + "'";
            }
        }
        return null;
    }

    private int usageError(PrintWriter err, String message) {
        err.println("keywatch-tools backtest: " + message);
        err.println("Try 'keywatch-tools backtest --help' for the options.");
        err.flush();
        return 2;
    }

    /** Reports bad event lines on stderr, the first {@value #MAX_BAD_LINES_SHOWN} one by one. */
    private static final class BadLines implements java.util.function.Consumer<EventLines.BadLine> {
        private final PrintWriter err;
        private long count;

        BadLines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void accept(EventLines.BadLine line) {
            count++;
            if (count <= MAX_BAD_LINES_SHOWN) {
                err.println("backtest: skipped " + line);
            } else if (count == MAX_BAD_LINES_SHOWN + 1) {
                err.println("backtest: more bad lines; counting them without showing each");
            }
        }
    }

    /** Alerts as JSON lines, map entries sorted so that the bytes are the same run after run. */
    private static final class AlertWriter {
        private final ObjectMapper mapper = KeywatchJson.newMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        private final Writer writer;

        AlertWriter(Writer writer) {
            this.writer = writer instanceof BufferedWriter || writer instanceof PrintWriter ? writer
                    : new BufferedWriter(writer);
        }

        void write(Alert alert) {
            try {
                writer.write(mapper.writeValueAsString(alert));
                writer.write('\n');
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write alert " + alert.id() + " as JSON", e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write alert " + alert.id(), e);
            }
        }

        void finish(boolean close) {
            try {
                if (close) {
                    writer.close();
                } else {
                    writer.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the alerts", e);
            }
        }
    }

    /** The report on stderr: what was replayed, what was skipped, alerts per rule. */
    private record Summary(BacktestResult result, long badLines) {

        void print(PrintWriter err) {
            double seconds = Math.max(0.001, result.elapsed().toNanos() / 1e9);
            err.println(String.format(Locale.ROOT, "backtest: replayed %,d events%s in %.1f s (%,.0f events/s)",
                    result.events(), result.firstEventTime() == null ? ""
                            : " from " + result.firstEventTime() + " to " + result.lastEventTime(),
                    seconds, result.events() / seconds));
            err.println(String.format(Locale.ROOT,
                    "backtest: %,d bad input lines skipped, %,d events dead-lettered by the topology, "
                            + "%,d late events dead-lettered as late, %,d key states fed",
                    badLines, result.deadLettered(), result.late(), result.keyStates()));
            result.deadLetterReasons().forEach(reason -> err.println("backtest: dead-lettered: " + reason));
            if (result.late() > 0) {
                err.println("backtest: late events came more than the grace period behind the newest event; "
                        + "the file is not in time order: try --sort");
            }
            Map<AlertRule, BacktestResult.RuleSummary> byRule = result.byRule();
            err.println(String.format(Locale.ROOT, "backtest: %,d alerts%s", result.alerts().size(),
                    byRule.isEmpty() ? "" : ":"));
            if (byRule.isEmpty()) {
                return;
            }
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "  %-26s %7s %6s", "RULE", "ALERTS", "KEYS"));
            for (Severity severity : Severity.values()) {
                header.append(String.format(Locale.ROOT, " %8s", severity));
            }
            err.println(header);
            byRule.values().forEach(rule -> {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %-26s %,7d %,6d",
                        rule.rule(), rule.alerts(), rule.keys().size()));
                for (Severity severity : Severity.values()) {
                    row.append(String.format(Locale.ROOT, " %,8d", rule.bySeverity().get(severity)));
                }
                err.println(row);
            });
        }
    }
}
