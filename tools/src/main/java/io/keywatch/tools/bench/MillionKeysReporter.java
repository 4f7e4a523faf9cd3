package io.keywatch.tools.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The million-key phase's report as a table (units on every number) and as JSON. */
final class MillionKeysReporter {

    void printTable(MillionKeysReport r, PrintWriter out) {
        ReportTable rows = new ReportTable();
        rows.add("setup", "keys", String.format(Locale.ROOT, "%,d (+1 canary), announced in %.1f s", r.keys(),
                r.registerSeconds()));
        rows.add("setup", "topology JVM", String.format(Locale.ROOT, "-Xmx%dm, first RUNNING after %.1f s",
                r.heapMb(), r.firstStartSeconds()));
        rows.add("fill", "events, one per key", String.format(Locale.ROOT, "%,d in %.1f s: %,.0f events/s",
                r.fillEvents(), r.fillSeconds(), r.fillEventsPerSecond()));
        rows.add("fill", "heap after full GC", memory(r.afterFill()));
        r.storesMiB().forEach((store, mib) -> rows.add("fill", "on disk: " + store,
                String.format(Locale.ROOT, "%,.1f MiB (%,.0f bytes/key)", mib, mib * 1048576.0 / r.keys())));
        rows.add("restore", "state deleted, start to RUNNING", String.format(Locale.ROOT, "%.1f s",
                r.restoreSeconds()));
        rows.add("restore", "start to first detection", String.format(Locale.ROOT, "%.1f s",
                r.detectingSeconds()));
        rows.add("hygiene", "pass", String.format(Locale.ROOT, "%s: %.1f s wall, %,d steps (%,d s of stream time)",
                r.hygieneComplete() ? "complete" : "INCOMPLETE", r.hygieneSeconds(), r.hygieneTicks(),
                r.hygieneStreamSeconds()));
        rows.add("hygiene", "longest step (send to commit)", String.format(Locale.ROOT, "%.2f s",
                r.longestTickSeconds()));
        rows.add("hygiene", "raised / expected", counts(r.hygieneRaised()) + " / " + counts(r.hygieneExpected()));
        rows.add("hygiene", "second pass, same day", String.format(Locale.ROOT, "%,d raised (the rest de-duplicated)",
                r.secondPassRaised()));
        rows.add("end", "heap after full GC", memory(r.atEnd()));
        rows.add("end", "left RUNNING after restore", String.valueOf(r.rebalancesAfterRunning()));
        rows.print(out);
    }

    void writeJson(MillionKeysReport report, Path file) throws IOException {
        ReportTable.writeJson(report, file);
    }

    private static String memory(MillionKeysReport.ChildFootprint f) {
        return String.format(Locale.ROOT, "%,.0f MiB of %,.0f MiB; GC %.1f s of %.0f s (%.1f %%); RSS %,.0f MiB",
                f.heapAfterGcMiB(), f.heapMaxMiB(), f.gcSeconds(), f.uptimeSeconds(), 100 * f.gcShare(), f.rssMiB());
    }

    /** {@code store 1.2 MiB, ...} */
    static String mib(Map<String, Double> sizes) {
        StringBuilder text = new StringBuilder();
        sizes.forEach((name, mib) -> text.append(text.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %,.1f MiB", name, mib)));
        return text.toString();
    }

    private static String counts(Map<String, Integer> byRule) {
        StringBuilder text = new StringBuilder();
        byRule.forEach((rule, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %,d", rule, count)));
        return text.toString();
    }

}
