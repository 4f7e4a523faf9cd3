package io.keywatch.tools.evaluate.labelled;

import io.keywatch.tools.backtest.CountSeries;
import io.keywatch.tools.backtest.InputException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The bundled public series ({@code evaluation/nab/}): request-count-like series of the Numenta Anomaly Benchmark
 * (MIT licence, see its LICENSE.txt) with their labelled anomaly windows.
 *
 * <p>Layout: {@code windows.csv} ({@code series,start,end}, ISO-8601 UTC; {@code #} comments) names the series;
 * each is {@code series/<series>.gz}, NAB's own CSV ({@code timestamp,value}, UTC {@code yyyy-MM-dd HH:mm:ss}) gzipped.
 *
 * <p>The held-out group is fixed by the names alone, before anyone tuned: the {@value #HELD_OUT} series whose
 * names' SHA-256 (hex, UTF-8) sort last. The rest is the tuning group.
 *
 * <p>{@code realKnownCause/nyc_taxi.csv} counts passengers per 30 minutes (156 million in all): it is replayed
 * divided by {@value #NYC_TAXI_DIVISOR} (rounded), which keeps its shape and takes seconds instead of hours.
 */
public final class NabDataset {

    /** How many series are held out. */
    public static final int HELD_OUT = 4;
    public static final int NYC_TAXI_DIVISOR = 100;
    static final Map<String, Integer> DIVISORS = Map.of("realKnownCause/nyc_taxi.csv", NYC_TAXI_DIVISOR);
    private static final java.util.regex.Pattern SERIES_NAME =
            java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_./-]{0,199}");
    /** The folder the bundle lives in, relative to the repository's root. */
    public static final String DEFAULT_DIR = "evaluation/nab";

    private NabDataset() {
    }

    /** Loads every series of {@code dir}, by name. */
    public static List<LabelledSeries> load(Path dir) {
        Map<String, List<Window>> windows = readWindows(dir.resolve("windows.csv"));
        Set<String> heldOut = heldOut(windows.keySet());
        List<LabelledSeries> all = new ArrayList<>();
        windows.forEach((name, list) -> {
            int divisor = DIVISORS.getOrDefault(name, 1);
            CountSeries series = readSeries(dir.resolve("series").resolve(name + ".gz"), keyId(name), divisor);
            all.add(new LabelledSeries(name, heldOut.contains(name), divisor, series, list));
        });
        return List.copyOf(all);
    }

    /** The held-out names among {@code names}: the {@value #HELD_OUT} whose SHA-256 sorts last. */
    public static Set<String> heldOut(Collection<String> names) {
        List<String> bySha = names.stream().sorted((a, b) -> sha256(a).compareTo(sha256(b))).toList();
        return Set.copyOf(bySha.subList(Math.max(0, bySha.size() - HELD_OUT), bySha.size()));
    }

    /** The key a series is replayed as: {@code nab_} and its file name, lower case, without extension. */
    public static String keyId(String name) {
        String base = name.substring(name.lastIndexOf('/') + 1);
        if (base.endsWith(".csv")) {
            base = base.substring(0, base.length() - 4);
        }
        return "nab_" + base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static Map<String, List<Window>> readWindows(Path file) {
        Map<String, List<Window>> windows = new TreeMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.startsWith("series,")) {
                continue;
            }
            String[] fields = text.split(",", -1);
            if (fields.length != 3) {
                throw new InputException(file + ":" + number + ": expected 'series,start,end'");
            }
            if (!SERIES_NAME.matcher(fields[0]).matches() || fields[0].contains("..")) {
                // the name becomes a path under series/: nothing that could leave the folder
                throw new InputException(file + ":" + number + ": a series is a relative path like "
                        + "realTweets/Twitter_volume_AAPL.csv (letters, digits, '_', '-', '.', '/')");
            }
            try {
                windows.computeIfAbsent(fields[0], k -> new ArrayList<>())
                        .add(new Window(Instant.parse(fields[1]), Instant.parse(fields[2])));
            } catch (DateTimeParseException | IllegalArgumentException e) {
                throw new InputException(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        if (windows.isEmpty()) {
            throw new InputException(file + " lists no windows");
        }
        Map<String, List<Window>> sorted = new LinkedHashMap<>();
        windows.forEach((name, list) -> sorted.put(name, list.stream()
                .sorted((a, b) -> a.start().compareTo(b.start())).collect(Collectors.toList())));
        return sorted;
    }

    private static CountSeries readSeries(Path file, String keyId, int divisor) {
        List<Instant> times = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("timestamp")) {
                    continue;
                }
                String[] fields = text.split(",", -1);
                try {
                    times.add(LocalDateTime.parse(fields[0].strip().replace(' ', 'T')).toInstant(ZoneOffset.UTC));
                    double value = Double.parseDouble(fields[1].strip());
                    if (!(value >= 0) || value > 1e12) {
                        throw new NumberFormatException("not a count");
                    }
                    values.add(Math.round(value / divisor));
                } catch (DateTimeParseException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
                    throw new InputException(file + ":" + number + ": expected 'yyyy-MM-dd HH:mm:ss,count'", e);
                }
            }
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (times.size() < 2) {
            throw new InputException(file + " needs at least two rows, got " + times.size());
        }
        List<CountSeries.Row> rows = new ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            long length = i + 1 < times.size()
                    ? times.get(i + 1).toEpochMilli() - times.get(i).toEpochMilli()
                    : times.get(i).toEpochMilli() - times.get(i - 1).toEpochMilli();
            rows.add(new CountSeries.Row(times.get(i), length, values.get(i)));
        }
        try {
            return CountSeries.of(keyId, "nab", rows);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage(), e);
        }
    }
}
