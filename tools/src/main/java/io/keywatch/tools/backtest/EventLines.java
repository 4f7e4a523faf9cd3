package io.keywatch.tools.backtest;

import io.keywatch.events.UsageEvent;
import io.keywatch.events.UsageEventParser;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Usage events from a JSON-lines file in the wire format, one event per line, read as they are needed so that a
 * file of any size streams through. Each line is parsed with {@link UsageEventParser}, exactly as the topology
 * parses a record; a line that is not a valid event is passed to the bad-line handler with its number and reason
 * and skipped. Blank lines are skipped silently.
 */
public final class EventLines implements Iterator<UsageEvent>, Closeable {

    /** A line that is not a valid usage event. */
    public record BadLine(Path file, long lineNumber, String reason) {

        @Override
        public String toString() {
            return file + ":" + lineNumber + ": " + reason;
        }
    }

    private final Path file;
    private final BufferedReader reader;
    private final UsageEventParser parser = new UsageEventParser();
    private final Consumer<BadLine> onBadLine;
    private long lineNumber;
    private long badLines;
    private UsageEvent next;
    private boolean done;

    private EventLines(Path file, BufferedReader reader, Consumer<BadLine> onBadLine) {
        this.file = file;
        this.reader = reader;
        this.onBadLine = onBadLine;
    }

    /**
     * Opens {@code file} (UTF-8).
     *
     * @throws InputException if it cannot be opened
     */
    public static EventLines open(Path file, Consumer<BadLine> onBadLine) {
        Objects.requireNonNull(onBadLine, "onBadLine");
        try {
            return new EventLines(file, Files.newBufferedReader(file, StandardCharsets.UTF_8), onBadLine);
        } catch (IOException e) {
            throw new InputException("cannot read events file " + file + ": " + describe(e), e);
        }
    }

    /** A whole file's valid events, sorted by event time, and how many lines were bad. */
    public record Sorted(List<UsageEvent> events, long lines, long badLines) {
    }

    /** Reads every valid event of {@code file} into memory and sorts them by event time (stable). */
    public static Sorted readSorted(Path file, Consumer<BadLine> onBadLine) {
        List<UsageEvent> events = new ArrayList<>();
        try (EventLines lines = open(file, onBadLine)) {
            lines.forEachRemaining(events::add);
            events.sort(Comparator.comparing(UsageEvent::timestamp));
            return new Sorted(events, lines.lines(), lines.badLines());
        }
    }

    @Override
    public boolean hasNext() {
        while (next == null && !done) {
            String line;
            try {
                line = reader.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " after line " + lineNumber, e);
            }
            if (line == null) {
                done = true;
                break;
            }
            lineNumber++;
            if (line.isBlank()) {
                continue;
            }
            UsageEventParser.Result result = parser.parse(line);
            if (result instanceof UsageEventParser.Valid valid) {
                next = valid.event();
            } else {
                badLines++;
                onBadLine.accept(new BadLine(file, lineNumber, ((UsageEventParser.Invalid) result).reason()));
            }
        }
        return next != null;
    }

    @Override
    public UsageEvent next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        UsageEvent event = next;
        next = null;
        return event;
    }

    /** Lines read so far. */
    public long lines() {
        return lineNumber;
    }

    /** Lines skipped so far because they were not valid events. */
    public long badLines() {
        return badLines;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close " + file, e);
        }
    }

    static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
