package io.keywatch.tools.backtest;

import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.UUID;

/**
 * A request-count series for one key, as an API gateway exports it: CSV rows {@code timestamp,value}, one per
 * interval (e.g. every 5 minutes), an optional header, blank lines and {@code #} comments ignored. The timestamp is
 * ISO-8601 ({@code 2026-11-20T10:05:00Z}, with an offset, or without one meaning UTC) or epoch seconds or
 * milliseconds; the value a count of requests (decimals are rounded). Timestamps must increase.
 *
 * <p>Replayed as synthetic requests (auth OK, status 200): each row's count spread evenly over its interval, which
 * runs to the next row's timestamp; the last row's interval is as long as the one before it.
 */
public final class CountSeries {

    /**
     * One interval.
     *
     * @param start    when it starts
     * @param length   how long it lasts, in milliseconds
     * @param requests how many requests it had
     */
    public record Row(Instant start, long length, long requests) {
    }

    private final String keyId;
    private final String service;
    private final List<Row> rows;

    private CountSeries(String keyId, String service, List<Row> rows) {
        this.keyId = keyId;
        this.service = service;
        this.rows = List.copyOf(rows);
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws InputException naming the file, line and problem (the first ten) when it is not a usable series
     */
    public static CountSeries read(Path file, String keyId, String service) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(service, "service");
        List<Instant> times = new ArrayList<>();
        List<Long> values = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            boolean seenData = false;
            Instant previous = null;
            long previousLine = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String text = line.strip();
                if (text.isEmpty() || text.startsWith("#")) {
                    continue;
                }
                String where = file + ":" + number + ": ";
                String[] fields = text.split(",", -1);
                if (fields.length != 2) {
                    problems.add(where + "expected 2 fields 'timestamp,value', got " + fields.length);
                    seenData = true;
                    continue;
                }
                String timeText = unquote(fields[0]);
                String valueText = unquote(fields[1]);
                Instant time = parseTime(timeText);
                if (time == null && !seenData && !looksNumeric(valueText)) {
                    seenData = true; // a header such as "timestamp,requests"
                    continue;
                }
                seenData = true;
                if (time == null) {
                    problems.add(where + "timestamp '" + timeText + "' is neither ISO-8601 (2026-11-20T10:05:00Z) "
                            + "nor epoch seconds or milliseconds");
                    continue;
                }
                Long value = parseValue(valueText);
                if (value == null) {
                    problems.add(where + "value '" + valueText + "' is not a request count (a number >= 0)");
                    continue;
                }
                if (previous != null && !time.isAfter(previous)) {
                    problems.add(where + "timestamp " + time + " is not after " + previous + " (line " + previousLine
                            + "): rows must be in increasing time order");
                    continue;
                }
                previous = time;
                previousLine = number;
                times.add(time);
                values.add(value);
            }
        } catch (IOException e) {
            throw new InputException("cannot read counts file " + file + ": " + EventLines.describe(e), e);
        }
        if (!problems.isEmpty()) {
            throw InputException.of("counts file " + file + " has " + problems.size() + " bad row"
                    + (problems.size() == 1 ? "" : "s") + ":", problems);
        }
        if (times.size() < 2) {
            throw new InputException("counts file " + file + " needs at least two rows (the gap between them is the "
                    + "interval), got " + times.size());
        }
        List<Row> rows = new ArrayList<>(times.size());
        for (int i = 0; i < times.size(); i++) {
            long length = i + 1 < times.size()
                    ? times.get(i + 1).toEpochMilli() - times.get(i).toEpochMilli()
                    : times.get(i).toEpochMilli() - times.get(i - 1).toEpochMilli();
            rows.add(new Row(times.get(i), length, values.get(i)));
        }
        return new CountSeries(keyId, service, rows);
    }

    /**
     * A series from rows already read (e.g. a bundled public data set): in increasing time order, each with a
     * positive length and a count of at least 0.
     */
    public static CountSeries of(String keyId, String service, List<Row> rows) {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(service, "service");
        Instant previous = null;
        for (Row row : rows) {
            if (row.length() <= 0 || row.requests() < 0 || (previous != null && !row.start().isAfter(previous))) {
                throw new IllegalArgumentException("rows must be in increasing time order with a positive length "
                        + "and a count >= 0; not " + row);
            }
            previous = row.start();
        }
        return new CountSeries(keyId, service, rows);
    }

    public List<Row> rows() {
        return rows;
    }

    public String keyId() {
        return keyId;
    }

    /** Requests in the whole series. */
    public long totalRequests() {
        return rows.stream().mapToLong(Row::requests).sum();
    }

    /** The series as usage events, in time order, generated as they are read. Event ids are stable. */
    public Iterator<UsageEvent> events() {
        return new Iterator<>() {
            private int row;
            private long inRow;

            @Override
            public boolean hasNext() {
                while (row < rows.size() && inRow >= rows.get(row).requests()) {
                    row++;
                    inRow = 0;
                }
                return row < rows.size();
            }

            @Override
            public UsageEvent next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row current = rows.get(row);
                // exact where the product fits in a long (always, for realistic series)
                long offset = current.length() <= Long.MAX_VALUE / current.requests()
                        ? current.length() * inRow / current.requests()
                        : (long) ((double) current.length() * inRow / current.requests());
                Instant time = current.start().plusMillis(offset);
                String id = UUID.nameUUIDFromBytes((keyId + '|' + current.start().toEpochMilli() + '|' + inRow)
                        .getBytes(StandardCharsets.UTF_8)).toString();
                inRow++;
                return UsageEvent.of(id, keyId, time, service, AuthResult.OK).withRequest(null, null, 200);
            }
        };
    }

    private static String unquote(String field) {
        String text = field.strip();
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            text = text.substring(1, text.length() - 1).strip();
        }
        return text;
    }

    private static Instant parseTime(String text) {
        if (text.isEmpty()) {
            return null;
        }
        if (text.chars().allMatch(Character::isDigit)) {
            if (text.length() > 15) {
                return null;
            }
            long number = Long.parseLong(text);
            // 10 digits or fewer: seconds (until the year 2286); more: milliseconds
            return text.length() <= 10 ? Instant.ofEpochSecond(number) : Instant.ofEpochMilli(number);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset; try without one
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean looksNumeric(String text) {
        return parseValue(text) != null;
    }

    private static Long parseValue(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(text) >= 0 ? Long.parseLong(text) : null;
        } catch (NumberFormatException e) {
            // maybe a decimal
        }
        try {
            double value = Double.parseDouble(text);
            return Double.isFinite(value) && value >= 0 && value < 1e15 ? Math.round(value) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
