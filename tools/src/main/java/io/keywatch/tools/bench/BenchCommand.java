package io.keywatch.tools.bench;

import io.keywatch.tools.backtest.ConsoleLogs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keywatch-tools bench}: measures throughput, detection, revocation and API latency, and footprint on this machine. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {"Runs keywatch on embedded Kafka and PostgreSQL (free ports, a temporary folder) and measures, in one run:",
                "throughput against a parse-and-count baseline, detection and revocation latency under load, "
                        + "API latency over many alerts, and memory and disk footprint.",
                "Progress goes to stderr, the table to stdout."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "A run under two minutes: 10,000 keys, 200,000 events, 5,000 events/s "
            + "background, 50,000 alerts, a 5 s API phase (explicit options still win).")
    boolean quick;

    @Option(names = "--keys", description = "Registered keys making traffic (default 100,000; quick 10,000).")
    Integer keys;

    @Option(names = "--events", description = "Events in the throughput phase (default 3,000,000; quick 200,000).")
    Integer events;

    @Option(names = "--rate", description = "Background events/s during the latency phase (default 20,000; quick 5,000).")
    Integer rate;

    @Option(names = "--incidents", description = "Brute-force incidents injected (default 50).")
    Integer incidents;

    @Option(names = "--alerts", description = "Synthetic alerts stored for the API phase (default 1,000,000; quick 50,000).")
    Integer alerts;

    @Option(names = "--api-seconds", description = "How long the API clients run (default 20; quick 5).")
    Integer apiSeconds;

    @Option(names = "--api-clients", description = "Concurrent API clients (default 16).")
    Integer apiClients;

    @Option(names = "--publisher", paramLabel = "in-process|process",
            converter = PublisherConverter.class,
            description = "Where the latency phases' background traffic is sent from: the bench's own JVM, which also "
                    + "runs keywatch (default), or a child JVM with its own heap (-Xmx1g), so that only keywatch is "
                    + "measured.")
    BenchSettings.Publisher publisher;

    @Option(names = "--live", paramLabel = "RATE[,RATE...]", split = ",",
            description = "Also measure the rate the topology sustains live: one step per rate (events/s), each "
                    + "20 s of background from a child JVM with 20 brute-force incidents; a step is kept when the "
                    + "child sent 95 %% of the rate, the API's detection p99 is within 250 ms and the backlog drains "
                    + "within 1 s (e.g. "
                    + "--live 2000,5000,10000,20000).")
    List<Integer> live;

    @Option(names = "--intake", description = "Only the alert intake: 3 polls of --intake-burst LOW alerts then one "
            + "CRITICAL, into an embedded PostgreSQL; alerts stored/s and the critical alert's revocation delay.")
    boolean intake;

    @Option(names = "--api-only", description = "Only the API phase: --alerts synthetic alerts, then --api-clients "
            + "clients in a child JVM on GET /api/v1/alerts and on the same bytes from memory for --api-seconds each.")
    boolean apiOnly;

    @Option(names = "--intake-burst", description = "LOW alerts in each --intake poll (default 5,000).")
    Integer intakeBurst;

    @Option(names = "--million-keys", arity = "0..1", fallbackValue = "1000000", paramLabel = "KEYS",
            description = "Instead of the other phases: registers KEYS keys (default 1,000,000), drives an event for "
                    + "each through the topology in a child JVM with --heap-mb of heap, and reports its heap, its "
                    + "stores on disk, the restore time after losing the local state and the daily hygiene pass.")
    Integer millionKeys;

    @Option(names = "--heap-mb", description = "The --million-keys topology JVM's heap (default 1024).",
            defaultValue = "1024")
    int heapMb;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the report as JSON to FILE.")
    Path json;

    BenchSettings settings() {
        BenchSettings base = quick ? BenchSettings.QUICK : BenchSettings.FULL;
        return new BenchSettings(
                keys != null ? keys : base.keys(),
                events != null ? events : base.events(),
                rate != null ? rate : base.rate(),
                incidents != null ? incidents : base.incidents(),
                alerts != null ? alerts : base.alerts(),
                apiSeconds != null ? Duration.ofSeconds(apiSeconds) : base.apiDuration(),
                apiClients != null ? apiClients : base.apiClients(),
                publisher != null ? publisher : base.publisher(),
                live != null ? live : base.liveRates());
    }

    @Override
    public Integer call() throws Exception {
        if (millionKeys != null) {
            return millionKeys();
        }
        if (intake) {
            return intakeOnly();
        }
        if (apiOnly) {
            return apiOnly();
        }
        BenchSettings settings = settings();
        BenchReport report;
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            report = new BenchRun(settings, System.err).run();
        }
        BenchReporter reporter = new BenchReporter();
        reporter.printTable(report, spec.commandLine().getOut());
        if (json != null) {
            reporter.writeJson(report, json);
            spec.commandLine().getErr().println("bench: report written to " + json.toAbsolutePath());
        }
        return 0;
    }

    private int apiOnly() throws Exception {
        BenchReport.Api report;
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            report = new BenchRun(settings(), System.err).runApiOnly();
        }
        new BenchReporter().printTable(report, spec.commandLine().getOut());
        if (json != null) {
            ReportTable.writeJson(report, json);
            spec.commandLine().getErr().println("bench: report written to " + json.toAbsolutePath());
        }
        return report.list().errors() + report.sameBytes().errors() == 0 ? 0 : 1;
    }

    private int millionKeys() throws Exception {
        MillionKeysReport report;
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            report = new MillionKeysPhase(millionKeys, heapMb, new Progress(System.err)).run();
        }
        MillionKeysReporter reporter = new MillionKeysReporter();
        reporter.printTable(report, spec.commandLine().getOut());
        if (json != null) {
            reporter.writeJson(report, json);
            spec.commandLine().getErr().println("bench: report written to " + json.toAbsolutePath());
        }
        return report.hygieneComplete() ? 0 : 1;
    }

    private Integer intakeOnly() {
        int burst = intakeBurst != null ? intakeBurst : 5_000;
        if (burst < 1) {
            throw new IllegalArgumentException("--intake-burst must be positive, got " + burst);
        }
        IntakePhase.Result result;
        try (ConsoleLogs logs = ConsoleLogs.toStderr()) {
            result = new IntakePhase(new Progress(System.err)).run(burst, 3);
        }
        var out = spec.commandLine().getOut();
        out.printf("Alert intake: a poll of %,d LOW alerts then 1 CRITICAL, %d runs (median)%n", burst,
                result.runs().size());
        out.printf("  stored          %,.0f alerts/s (%.2f s a poll)%n", result.medianAlertsPerSecond(),
                result.medianSeconds());
        out.printf("  critical alert  key revoked (committed) %.3f s after the poll began%n",
                result.medianCriticalSeconds());
        out.flush();
        return 0;
    }

    /** {@code in-process} or {@code process}, as the help says them. */
    static final class PublisherConverter implements picocli.CommandLine.ITypeConverter<BenchSettings.Publisher> {
        @Override
        public BenchSettings.Publisher convert(String value) {
            return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
                case "in-process" -> BenchSettings.Publisher.IN_PROCESS;
                case "process", "child", "child-process" -> BenchSettings.Publisher.PROCESS;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "expected in-process or process");
            };
        }
    }
}
