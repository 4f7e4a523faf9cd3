package io.keywatch.tools.bench;

import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes a {@link BenchReport} as a plain-text table (every number with its unit) and as JSON. */
public final class BenchReporter {

    /** The table of {@code bench --api-only}: the API phase alone. */
    public void printTable(BenchReport.Api api, PrintWriter out) {
        ReportTable rows = new ReportTable();
        apiRows(rows, api);
        rows.print(out);
    }

    public void printTable(BenchReport report, PrintWriter out) {
        ReportTable rows = new ReportTable();
        BenchReport.Setup s = report.setup();
        rows.add("setup", "machine", s.cpus() + " CPUs, max heap " + s.maxHeapMiB() + " MiB, Java " + s.java());
        rows.add("setup", "registered keys", String.format(Locale.ROOT, "%,d in %.1f s", s.registeredKeys(),
                s.registrationSeconds()));

        BenchReport.Throughput t = report.throughput();
        rows.add("throughput", "events (keys)", String.format(Locale.ROOT, "%,d (%,d keys), after %,d untimed",
                t.events(), t.keys(), t.warmupEvents()));
        rows.add("throughput", "keywatch topology", String.format(Locale.ROOT, "%,.0f events/s (%.1f s)",
                t.keywatchEventsPerSecond(), t.keywatchSeconds()));
        rows.add("throughput", "baseline parse + count", String.format(Locale.ROOT, "%,.0f events/s (%.1f s)",
                t.baselineEventsPerSecond(), t.baselineSeconds()));
        rows.add("throughput", "ratio keywatch / baseline", String.format(Locale.ROOT, "%.2f", t.ratio()));

        BenchReport.Detection d = report.detection();
        rows.add("detection", "background rate", String.format(Locale.ROOT, "%,.0f events/s achieved (%,d asked), "
                + "sent %s", d.achievedRate(), d.targetRate(), publisher(s.settings().publisher())));
        rows.add("detection", "topology kept up with", String.format(Locale.ROOT,
                "%,.0f events/s (%,d events behind when sending ended, drained in %.1f s)", d.sustainedRate(),
                d.backlogAtEnd(), d.drainSeconds()));
        rows.add("detection", "event -> alert in API", latencies(d.latency(), d.incidents()));
        rows.add("detection", "  of which event -> topology", latencies(d.topologyLatency(), d.incidents()));
        rows.add("detection", "event -> alert on the topic", latencies(d.alertTopicLatency(), d.incidents()));

        BenchReport.PassThrough p = report.passThrough();
        rows.add("pass-through", "background rate", String.format(Locale.ROOT,
                "%,.0f events/s achieved (%,d asked)", p.achievedRate(), p.targetRate()));
        rows.add("pass-through", "event -> forwarded record", latencies(p.latency(), -1));
        rows.add("pass-through", "ratio alert on topic / pass-through", ratios(p.topicP50Ratio(), p.topicP99Ratio()));
        rows.add("pass-through", "ratio alert in API / pass-through", ratios(p.apiP50Ratio(), p.apiP99Ratio()));

        BenchReport.Revocation r = report.revocation();
        rows.add("revocation", "event -> signed webhook", latencies(r.webhook(), d.incidents()));
        rows.add("revocation", "event -> KeyStatusCache", latencies(r.keyStatusCache(), d.incidents()));
        rows.add("revocation", "KEYWATCH_REVOKE_MAX_PER_WINDOW", String.valueOf(r.revokeMaxPerWindow()));

        BenchReport.Live l = report.live();
        for (BenchReport.LiveStep step : l.steps()) {
            rows.add("live", String.format(Locale.ROOT, "%,d events/s asked", step.targetRate()),
                    String.format(Locale.ROOT, "%,.0f sent from a child JVM, kept up with %,.0f (%,d behind, drained "
                            + "in %.1f s); event -> alert in API %s; %s", step.achievedRate(), step.sustainedRate(),
                            step.backlogAtEnd(), step.drainSeconds(), latencies(step.latency(), step.incidents()),
                            step.kept() ? "kept" : "not kept"));
        }
        if (!l.steps().isEmpty()) {
            rows.add("live", "sustained live (p99 <= " + Math.round(l.detectionP99TargetMs()) + " ms)",
                    String.format(Locale.ROOT, "%s; bulk %,.0f events/s", l.sustainedRate() > 0
                            ? String.format(Locale.ROOT, "%,d events/s", l.sustainedRate()) : "no step kept",
                            l.bulkRate()));
        }

        apiRows(rows, report.api());

        BenchReport.Footprint f = report.footprint();
        rows.add("footprint", "heap used after GC", String.format(Locale.ROOT, "%,.0f MiB", f.heapUsedMiB()));
        rows.add("footprint", "process RSS", String.format(Locale.ROOT, "%,.0f MiB", f.rssMiB()));
        rows.add("footprint", "streams state on disk", String.format(Locale.ROOT, "%,.1f MiB, %,.0f bytes/key (%,d keys)",
                f.stateDirMiB(), f.stateBytesPerKey(), f.keys()));

        rows.print(out);
    }

    public String toJson(BenchReport report) {
        return ReportTable.json(report);
    }

    public void writeJson(BenchReport report, Path file) throws IOException {
        ReportTable.writeJson(report, file);
    }

    private static String latencies(Latencies l, int expected) {
        String of = expected >= 0 ? String.format(Locale.ROOT, " (%d of %d)", l.samples(), expected)
                : String.format(Locale.ROOT, " (%,d samples)", l.samples());
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms", l.p50Ms(), l.p99Ms(), l.maxMs()) + of;
    }

    private static String ratios(double p50, double p99) {
        return String.format(Locale.ROOT, "p50 %.2f, p99 %.2f", p50, p99);
    }

    private static String publisher(BenchSettings.Publisher publisher) {
        return publisher == BenchSettings.Publisher.PROCESS ? "from a child JVM" : "from the bench's own JVM";
    }

    private static void apiRows(ReportTable rows, BenchReport.Api a) {
        rows.add("api", "stored alerts", String.format(Locale.ROOT, "%,d (inserted in %.1f s)", a.alerts(),
                a.insertSeconds()));
        run(rows, "GET /api/v1/alerts", a.list());
        run(rows, "same bytes from memory", a.sameBytes());
        rows.add("api", "list / same bytes, throughput", String.format(Locale.ROOT,
                "%.2f (load from a %s, %s token)", a.listToSameBytesThroughput(), a.loadGenerator(), a.tokenRole()));
        run(rows, "GET /api/v1/alerts?view=summary", a.summaryList());
        run(rows, "same summary bytes from memory", a.summarySameBytes());
        rows.add("api", "summary list / same bytes, throughput", String.format(Locale.ROOT, "%.2f",
                a.summaryListToSameBytesThroughput()));
    }

    private static void run(ReportTable rows, String route, BenchReport.ApiRun run) {
        rows.add("api", route, String.format(Locale.ROOT,
                "%,.0f requests/s, %,.0f bytes each, %d clients, %.0f s, %,d requests, %,d errors",
                run.requestsPerSecond(), run.meanBodyBytes(), run.clients(), run.seconds(), run.requests(),
                run.errors()));
        rows.add("api", route + " latency", latencies(run.latency(), -1));
    }
}
