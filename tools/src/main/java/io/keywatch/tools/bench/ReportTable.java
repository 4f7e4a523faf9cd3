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

/** The bench reports' shape: rows of phase, measure and value, printed as an aligned table; the report as JSON. */
final class ReportTable {

    private static final ObjectMapper JSON = KeywatchJson.newMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final List<String[]> rows = new ArrayList<>();

    ReportTable add(String phase, String measure, String value) {
        rows.add(new String[] {phase, measure, value});
        return this;
    }

    void print(PrintWriter out) {
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

    static String json(Object report) {
        try {
            return JSON.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    /** The report as indented JSON in {@code file}, its folders made as needed. */
    static void writeJson(Object report, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, json(report) + System.lineSeparator());
    }
}
