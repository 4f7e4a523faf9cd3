package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.keywatch.events.KeywatchJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The million-key phase's report as a table (units on every number) and as JSON. */
final class MillionKeysReporter {

    private final ObjectMapper json = KeywatchJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    void printTable(MillionKeysReport r, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("setup", "keys", String.format(Locale.ROOT, "%,d (+1 canary), announced in %.1f s", r.keys(),
                r.registerSeconds())));
        rows.add(row("setup", "topology JVM", String.format(Locale.ROOT, "-Xmx%dm, first RUNNING after %.1f s",
                r.heapMb(), r.firstStartSeconds())));
        rows.add(row("fill", "events, one per key", String.format(Locale.ROOT, "%,d in %.1f s: %,.0f events/s",
                r.fillEvents(), r.fillSeconds(), r.fillEventsPerSecond())));
        rows.add(row("fill", "heap after full GC", memory(r.afterFill())));
        r.storesMiB().forEach((store, mib) -> rows.add(row("fill", "on disk: " + store,
                String.format(Locale.ROOT, "%,.1f MiB (%,.0f bytes/key)", mib, mib * 1048576.0 / r.keys()))));
        rows.add(row("restore", "state deleted, start to RUNNING", String.format(Locale.ROOT, "%.1f s",
                r.restoreSeconds())));
        rows.add(row("restore", "start to first detection", String.format(Locale.ROOT, "%.1f s",
                r.detectingSeconds())));
        rows.add(row("hygiene", "pass", String.format(Locale.ROOT, "%s: %.1f s wall, %,d steps (%,d s of stream time)",
                r.hygieneComplete() ? "complete" : "INCOMPLETE", r.hygieneSeconds(), r.hygieneTicks(),
                r.hygieneStreamSeconds())));
        rows.add(row("hygiene", "longest step (send to commit)", String.format(Locale.ROOT, "%.2f s",
                r.longestTickSeconds())));
        rows.add(row("hygiene", "raised / expected", counts(r.hygieneRaised()) + " / " + counts(r.hygieneExpected())));
        rows.add(row("hygiene", "second pass, same day", String.format(Locale.ROOT, "%,d raised (the rest de-duplicated)",
                r.secondPassRaised())));
        rows.add(row("end", "heap after full GC", memory(r.atEnd())));
        rows.add(row("end", "left RUNNING after restore", String.valueOf(r.rebalancesAfterRunning())));
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

    void writeJson(MillionKeysReport report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json.writeValueAsString(report) + System.lineSeparator());
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

    private static String[] row(String phase, String measure, String value) {
        return new String[] {phase, measure, value};
    }
}
