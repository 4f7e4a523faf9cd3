package io.keywatch.tools.soak;

import io.keywatch.tools.backtest.ConsoleLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keywatch-tools soak}: normal traffic with incidents and hostile records, SIGKILLs, and a ledger at the end. */
@Command(name = "soak",
        mixinStandardHelpOptions = true,
        description = {"Starts embedded Kafka and PostgreSQL, runs the streams and api services as child JVMs, publishes "
                + "simulated traffic with incidents and about 1 %% hostile records of every kind, kills the streams "
                + "child (every third time the api child too) with SIGKILL and restarts it, waits for the pipeline to "
                + "drain and prints a ledger: produced = processed + dead-lettered, every hostile record where it "
                + "belongs with its expected reason code, every incident alert exactly once in the API, each "
                + "incident key's events counted by the topology, no secret shown in dead letters, logs or the API.",
                "With --streams N / --apis M it runs N streams and M api instances, kills one streams instance at a "
                + "time and checks that its partitions move (Admin describeConsumerGroups), that no key is revoked "
                + "twice and that a webhook receiver in the soak gets one key.revoked id per revocation.",
                "Exit code 1 when the ledger does not balance (the data folder with both services' logs is kept).",
                "Progress goes to stderr, the ledger to stdout."})
public final class SoakCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "3", description = "Minutes of traffic (default ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--kills", defaultValue = "3", description = "SIGKILLs of the streams child (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--rate", paramLabel = "EV/S", defaultValue = "100",
            description = "Ordinary events per second, about (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--keys", defaultValue = "30", description = "Simulated keys (default ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--hostile-percent", defaultValue = "1",
            description = "Hostile records per 100 ordinary ones (default ${DEFAULT-VALUE}).")
    double hostilePercent;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for traffic, hostile records and kill moments.")
    long seed;

    @Option(names = "--drain-minutes", defaultValue = "5",
            description = "How long to wait for the pipeline to catch up after traffic (default ${DEFAULT-VALUE}).")
    double drainMinutes;

    @Option(names = "--streams", paramLabel = "N", defaultValue = "1",
            description = "streams instances (child JVMs) with the same application id, each its own state dir "
                    + "(default ${DEFAULT-VALUE}). A kill goes to one of them at a time.")
    int streams;

    @Option(names = "--apis", paramLabel = "M", defaultValue = "1",
            description = "api instances (child JVMs) sharing the alert consumer group and PostgreSQL "
                    + "(default ${DEFAULT-VALUE}).")
    int apis;

    @Option(names = "--no-restart", description = "Leave a killed streams instance dead: the survivors must take its "
            + "partitions (needs more streams instances than kills).")
    boolean noRestart;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the ledger as JSON to FILE.")
    Path json;

    @Option(names = "--keep", description = "Keep the data folder (Kafka, PostgreSQL, the services' logs) even when "
            + "the ledger balances.")
    boolean keep;

    SoakSettings settings() {
        return new SoakSettings(Duration.ofMillis((long) (minutes * 60_000)), kills, rate, keys, hostilePercent / 100,
                seed, Duration.ofMillis((long) (drainMinutes * 60_000)));
    }

    ScaleOutSettings scaleOut() {
        try {
            ScaleOutSettings scale = new ScaleOutSettings(streams, apis, !noRestart);
            scale.requireSurvivor(kills);
            return scale;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        SoakSettings settings = settings();
        ScaleOutSettings scale = scaleOut();
        Path dataDir = Files.createTempDirectory("keywatch-soak-");
        SoakLedger ledger;
        SoakRun run = new SoakRun(settings, scale, System.err);
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            ledger = run.run(dataDir);
        } catch (Exception e) {
            spec.commandLine().getErr().println("soak: failed; data and logs kept in " + dataDir);
            throw e;
        }
        SoakReporter reporter = new SoakReporter();
        reporter.print(ledger, settings, spec.commandLine().getOut());
        reporter.printRestarts(run.restarts(), spec.commandLine().getOut());
        if (json != null) {
            reporter.writeJson(ledger, settings, run.restarts(), json);
            spec.commandLine().getErr().println("soak: ledger written to " + json.toAbsolutePath());
        }
        if (keep || !ledger.balances()) {
            spec.commandLine().getErr().println("soak: data and the services' logs kept in " + dataDir);
        } else {
            deleteQuietly(dataDir);
        }
        return ledger.balances() ? 0 : 1;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (Exception e) {
            // a temporary folder; the OS cleans it eventually
        }
    }
}
