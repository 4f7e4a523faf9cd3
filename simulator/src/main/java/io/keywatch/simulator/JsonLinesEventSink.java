package io.keywatch.simulator;

import io.keywatch.client.EventSink;
import io.keywatch.events.JsonSerde;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.UsageEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes events as JSON lines in the wire format, one event per line: a file that a backtest can replay and that
 * {@link io.keywatch.events.UsageEventParser} reads line by line. Not thread-safe.
 */
public final class JsonLinesEventSink implements EventSink, AutoCloseable {

    private final Writer writer;
    private final JsonSerde<UsageEvent> serde = new JsonSerde<>(KeywatchJson.newMapper(), UsageEvent.class);
    private long written;

    /** Writes to {@code writer}, which this sink closes in {@link #close()}. */
    public JsonLinesEventSink(Writer writer) {
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Creates (or truncates) {@code file} and writes UTF-8 JSON lines to it. */
    public static JsonLinesEventSink create(Path file) throws IOException {
        return new JsonLinesEventSink(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    }

    @Override
    public void accept(UsageEvent event) {
        Objects.requireNonNull(event, "event must not be null");
        try {
            writer.write(new String(serde.toBytes(event), StandardCharsets.UTF_8));
            writer.write('\n');
            written++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write usage event " + event.eventId(), e);
        }
    }

    @Override
    public void flush() {
        try {
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot flush usage events", e);
        }
    }

    /** Lines written so far. */
    public long written() {
        return written;
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
