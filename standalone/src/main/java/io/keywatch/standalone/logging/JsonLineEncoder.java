package io.keywatch.standalone.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per line, for log shippers: {@code timestamp} (UTC ISO-8601, milliseconds), {@code level},
 * {@code logger}, {@code thread}, {@code message} and, when there is one, {@code exception} (the stack trace as
 * {@code %safeEx} prints it, frames separated by {@code \n}). Every value goes through the same escaper as the text
 * format ({@link OneLineMessageConverter}), so a field holds what a person would read in the text line, and then
 * through Jackson's JSON escaping, so a quote or a newline in a client's text can neither end a field nor a line.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final byte[] NONE = new byte[0];

    private final JsonFactory json = new JsonFactory();
    private final OneLineThrowableConverter stackTrace = new OneLineThrowableConverter();

    @Override
    public void start() {
        stackTrace.setContext(getContext());
        stackTrace.start();
        super.start();
    }

    @Override
    public void stop() {
        stackTrace.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        // called by several threads at once (the console appender encodes outside its lock): nothing shared is written
        try (JsonGenerator line = json.createGenerator(out)) {
            line.writeStartObject();
            line.writeStringField("timestamp", TIMESTAMP.format(Instant.ofEpochMilli(event.getTimeStamp())));
            line.writeStringField("level", event.getLevel().toString());
            line.writeStringField("logger", OneLineMessageConverter.escape(event.getLoggerName()));
            line.writeStringField("thread", OneLineMessageConverter.escape(event.getThreadName()));
            line.writeStringField("message", OneLineMessageConverter.escape(event.getFormattedMessage()));
            if (event.getThrowableProxy() != null) {
                line.writeStringField("exception", stackTrace.convert(event).stripTrailing());
            }
            line.writeEndObject();
        } catch (IOException e) {
            // a ByteArrayOutputStream does not fail; a generator bug must not pass for an empty line
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}
