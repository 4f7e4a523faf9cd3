package io.keywatch.tools.backtest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import io.keywatch.client.EventSink;
import io.keywatch.simulator.JsonLinesEventSink;
import io.keywatch.simulator.GeneratedTraffic;
import io.keywatch.simulator.Incident;
import io.keywatch.simulator.MixedDay;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keywatch-tools simulate-day}: a simulated day with one incident of every kind, and its ground truth, as files. */
@Command(name = "simulate-day", mixinStandardHelpOptions = true, sortOptions = false, exitCodeOnInvalidInput = 2,
        description = {
                "Write a simulated UTC day of usage events with one injected incident of every kind, with the key "
                        + "registry and the ground truth, so that the day can be replayed live or with "
                        + "'keywatch-tools backtest --events OUT --keys REGISTRY' and the alerts scored. The same "
                        + "seed, keys and day always give the same files.",
                "The events start with a few minutes of history of the silent keys, weeks before the day.",
                "Exit status: 0 done; 2 bad arguments or a file that cannot be written."})
public final class SimulateDayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--keys", defaultValue = "50",
            description = "Number of keys, at least " + MixedDay.MIN_KEYS + " (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--day", required = true, paramLabel = "YYYY-MM-DD", description = "The UTC day to simulate.")
    LocalDate day;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Usage events as JSON lines in the wire format, in time order.")
    Path out;

    @Option(names = "--registry", paramLabel = "FILE", description = {
            "Key states as JSON lines, by changedAt: every registered key with its metadata, then the day's "
                    + "changes (the revocation a revoked-key reuse needs). Feed to backtest --keys."})
    Path registry;

    @Option(names = "--truth", paramLabel = "FILE", description = {
            "The injected incidents as JSON lines: kind, expectedRule, keyId, start, end, count, distinctIps, "
                    + "distinctCountries, authResult, statuses."})
    Path truth;

    @Option(names = "--housekeeping", paramLabel = "FILE", description = {
            "Registry findings a correct keywatch may raise without an incident (keys expiring within 14 days, "
                    + "dormant keys) as JSON lines: rule, keyId, reason."})
    Path housekeeping;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (keys < MixedDay.MIN_KEYS) {
            return fail(err, "--keys must be at least " + MixedDay.MIN_KEYS
                    + " (every incident needs its own key), got " + keys);
        }
        MixedDay mixed;
        try {
            mixed = MixedDay.of(seed, keys, day);
        } catch (IllegalArgumentException e) {
            return fail(err, e.getMessage());
        }
        ObjectMapper mapper = KeywatchJson.newMapper();
        try {
            GeneratedTraffic generated;
            try (JsonLinesEventSink file = JsonLinesEventSink.create(out)) {
                generated = mixed.generate(new Progress(file, err));
            }
            err.println(String.format(Locale.ROOT, "simulate-day: wrote %,d events for %d keys on %s (seed %d) to %s",
                    generated.events(), keys, day, seed, out));
            if (registry != null) {
                writeLines(registry, mixed.keyStateFeed(), mapper, item -> item);
                err.println("simulate-day: wrote " + mixed.keyStateFeed().size() + " key states to " + registry);
            }
            if (truth != null) {
                writeLines(truth, mixed.incidents(), mapper, SimulateDayCommand::truthLine);
                err.println("simulate-day: wrote " + mixed.incidents().size() + " incidents to " + truth);
            }
            if (housekeeping != null) {
                writeLines(housekeeping, mixed.housekeeping(), mapper, item -> item);
                err.println("simulate-day: wrote " + mixed.housekeeping().size() + " housekeeping findings to "
                        + housekeeping);
            }
        } catch (IOException | UncheckedIOException e) {
            return fail(err, "cannot write: " + e.getMessage());
        }
        for (Incident incident : mixed.incidents()) {
            err.println("simulate-day: injected " + incident.describe());
        }
        for (KeyState change : mixed.keyStateChanges()) {
            err.println("simulate-day: key " + change.keyId() + " " + change.status() + " at " + change.changedAt()
                    + " (" + change.reason() + ")");
        }
        for (MixedDay.HousekeepingFinding finding : mixed.housekeeping()) {
            err.println("simulate-day: may also be raised: " + finding.rule() + " for " + finding.keyId() + ", "
                    + finding.reason());
        }
        err.flush();
        return 0;
    }

    static Map<String, Object> truthLine(Incident incident) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("kind", incident.kind());
        line.put("expectedRule", incident.kind().expectedRule());
        line.put("keyId", incident.keyId());
        line.put("start", incident.start());
        line.put("end", incident.end());
        line.put("count", incident.count());
        line.put("distinctIps", incident.distinctIps());
        line.put("distinctCountries", incident.distinctCountries());
        line.put("authResult", incident.authResult());
        line.put("statuses", incident.statuses());
        return line;
    }

    private static <T> void writeLines(Path file, List<T> items, ObjectMapper mapper, Function<? super T, ?> shape)
            throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (T item : items) {
                try {
                    writer.write(mapper.writeValueAsString(shape.apply(item)));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("cannot write " + item + " as JSON", e);
                }
                writer.write('\n');
            }
        }
    }

    private int fail(PrintWriter err, String message) {
        err.println("keywatch-tools simulate-day: " + message);
        err.flush();
        return 2;
    }

    /** Passes events on and reports how far the day has come, every 5 s. */
    private static final class Progress implements EventSink {
        private static final long EVERY_NANOS = 5_000_000_000L;
        private final EventSink sink;
        private final PrintWriter err;
        private final long started = System.nanoTime();
        private long last = started;
        private long count;

        Progress(EventSink sink, PrintWriter err) {
            this.sink = sink;
            this.err = err;
        }

        @Override
        public void accept(UsageEvent event) {
            sink.accept(event);
            if ((++count & 4095) == 0 && System.nanoTime() - last > EVERY_NANOS) {
                last = System.nanoTime();
                err.println(String.format(Locale.ROOT, "simulate-day: %,d events written, event time %s",
                        count, event.timestamp()));
                err.flush();
            }
        }

        @Override
        public void flush() {
            sink.flush();
        }
    }
}
