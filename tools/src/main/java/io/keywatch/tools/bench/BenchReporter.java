package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keywatch.events.KeywatchJson;
import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a {@link BenchReport} as a plain-text table (every number with its unit) and as JSON. */
public final class BenchReporter {

    private final ObjectMapper json = KeywatchJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public void printTable(BenchReport report, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        BenchReport.Setup s = report.setup();
        rows.add(row("setup", "machine", s.cpus() + " CPUs, max heap " + s.maxHeapMiB() + " MiB, Java " + s.java()));
        rows.add(row("setup", "registered keys", String.format(Locale.ROOT, "%,d in %.1f s", s.registeredKeys(),
                s.registrationSeconds())));

        BenchReport.Throughput t = report.throughput();
        rows.add(row("throughput", "events (keys)", String.format(Locale.ROOT, "%,d (%,d keys), after %,d untimed",
                t.events(), t.keys(), t.warmupEvents())));
        rows.add(row("throughput", "keywatch topology", String.format(Locale.ROOT, "%,.0f events/s (%.1f s)",
                t.keywatchEventsPerSecond(), t.keywatchSeconds())));
        rows.add(row("throughput", "baseline parse + count", String.format(Locale.ROOT, "%,.0f events/s (%.1f s)",
                t.baselineEventsPerSecond(), t.baselineSeconds())));
        rows.add(row("throughput", "ratio keywatch / baseline", String.format(Locale.ROOT, "%.2f", t.ratio())));

        BenchReport.Detection d = report.detection();
        rows.add(row("detection", "background rate", String.format(Locale.ROOT, "%,.0f events/s achieved (%,d asked), "
                + "sent %s", d.achievedRate(), d.targetRate(), publisher(s.settings().publisher()))));
        rows.add(row("detection", "topology kept up with", String.format(Locale.ROOT,
                "%,.0f events/s (%,d events behind when sending ended, drained in %.1f s)", d.sustainedRate(),
                d.backlogAtEnd(), d.drainSeconds())));
        rows.add(row("detection", "event -> alert in API", latencies(d.latency(), d.incidents())));
        rows.add(row("detection", "  of which event -> topology", latencies(d.topologyLatency(), d.incidents())));
        rows.add(row("detection", "event -> alert on the topic", latencies(d.alertTopicLatency(), d.incidents())));

        BenchReport.PassThrough p = report.passThrough();
        rows.add(row("pass-through", "background rate", String.format(Locale.ROOT,
                "%,.0f events/s achieved (%,d asked)", p.achievedRate(), p.targetRate())));
        rows.add(row("pass-through", "event -> forwarded record", latencies(p.latency(), -1)));
        rows.add(row("pass-through", "ratio alert on topic / pass-through", ratios(p.topicP50Ratio(), p.topicP99Ratio())));
        rows.add(row("pass-through", "ratio alert in API / pass-through", ratios(p.apiP50Ratio(), p.apiP99Ratio())));

        BenchReport.Revocation r = report.revocation();
        rows.add(row("revocation", "event -> signed webhook", latencies(r.webhook(), d.incidents())));
        rows.add(row("revocation", "event -> KeyStatusCache", latencies(r.keyStatusCache(), d.incidents())));
        rows.add(row("revocation", "KEYWATCH_REVOKE_MAX_PER_WINDOW", String.valueOf(r.revokeMaxPerWindow())));

        BenchReport.Live l = report.live();
        for (BenchReport.LiveStep step : l.steps()) {
            rows.add(row("live", String.format(Locale.ROOT, "%,d events/s asked", step.targetRate()),
                    String.format(Locale.ROOT, "%,.0f sent from a child JVM, kept up with %,.0f (%,d behind, drained "
                            + "in %.1f s); event -> alert in API %s; %s", step.achievedRate(), step.sustainedRate(),
                            step.backlogAtEnd(), step.drainSeconds(), latencies(step.latency(), step.incidents()),
                            step.kept() ? "kept" : "not kept")));
        }
        if (!l.steps().isEmpty()) {
            rows.add(row("live", "sustained live (p99 <= " + Math.round(l.detectionP99TargetMs()) + " ms)",
                    String.format(Locale.ROOT, "%s; bulk %,.0f events/s", l.sustainedRate() > 0
                            ? String.format(Locale.ROOT, "%,d events/s", l.sustainedRate()) : "no step kept",
                            l.bulkRate())));
        }

        BenchReport.Api a = report.api();
        rows.add(row("api", "stored alerts", String.format(Locale.ROOT, "%,d (inserted in %.1f s)", a.alerts(),
                a.insertSeconds())));
        rows.add(row("api", "GET /api/v1/alerts", String.format(Locale.ROOT,
                "%,.0f requests/s, %d clients, %.0f s, %,d requests, %,d errors", a.requestsPerSecond(), a.clients(),
                a.seconds(), a.requests(), a.errors())));
        rows.add(row("api", "latency", latencies(a.latency(), -1)));

        BenchReport.Footprint f = report.footprint();
        rows.add(row("footprint", "heap used after GC", String.format(Locale.ROOT, "%,.0f MiB", f.heapUsedMiB())));
        rows.add(row("footprint", "process RSS", String.format(Locale.ROOT, "%,.0f MiB", f.rssMiB())));
        rows.add(row("footprint", "streams state on disk", String.format(Locale.ROOT, "%,.1f MiB, %,.0f bytes/key (%,d keys)",
                f.stateDirMiB(), f.stateBytesPerKey(), f.keys())));

        int w0 = rows.stream().mapToInt(x -> x[0].length()).max().orElse(0);
        int w1 = rows.stream().mapToInt(x -> x[1].length()).max().orElse(0);
        String format = "%-" + w0 + "s  %-" + w1 + "s  %s%n";
        out.printf(Locale.ROOT, format, "phase", "measure", "value");
        out.printf(Locale.ROOT, format, "-".repeat(w0), "-".repeat(w1), "-----");
        for (String[] x : rows) {
            out.printf(Locale.ROOT, format, x[0], x[1], x[2]);
        }
        out.flush();
    }

    public String toJson(BenchReport report) {
        try {
            return json.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    public void writeJson(BenchReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, toJson(report) + System.lineSeparator());
    }

    private static String latencies(Latencies l, int expected) {
        String of = expected >= 0 ? String.format(Locale.ROOT, " (%d of %d)", l.samples(), expected)
                : String.format(Locale.ROOT, " (%,d samples)", l.samples());
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", l.p50Ms(), l.p99Ms(), l.maxMs()) + of;
    }

    private static String ratios(double p50, double p99) {
        return String.format(Locale.ROOT, "p50 %.2f, p99 %.2f", p50, p99);
    }

    private static String[] row(String phase, String measure, String value) {
        return new String[] {phase, measure, value};
    }

    private static String publisher(BenchSettings.Publisher publisher) {
        return publisher == BenchSettings.Publisher.PROCESS ? "from a child JVM" : "from the bench's own JVM";
    }
}
