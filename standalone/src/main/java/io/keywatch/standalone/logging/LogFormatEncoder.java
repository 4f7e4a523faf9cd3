package io.keywatch.standalone.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

/**
 * The console's encoder, chosen when logback starts: the {@code pattern} for people, or {@link JsonLineEncoder} when
 * {@code format} ({@code KEYWATCH_LOG_FORMAT} in logback.xml) says {@code json}. An unknown format is reported
 * through logback's status (printed at start-up) and the console stays readable as text.
 */
public final class LogFormatEncoder extends EncoderBase<ILoggingEvent> {

    private String format;
    private String pattern;
    private Encoder<ILoggingEvent> chosen;

    public void setFormat(String format) {
        this.format = format;
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        LogFormat logFormat;
        try {
            logFormat = LogFormat.parse(format);
        } catch (IllegalArgumentException e) {
            addError(e.getMessage() + "; logging as text");
            logFormat = LogFormat.TEXT;
        }
        chosen = logFormat == LogFormat.JSON ? new JsonLineEncoder() : text();
        chosen.setContext(getContext());
        chosen.start();
        super.start();
    }

    private Encoder<ILoggingEvent> text() {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(pattern);
        return text;
    }

    @Override
    public void stop() {
        if (chosen != null) {
            chosen.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return chosen.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return chosen.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return chosen.footerBytes();
    }
}
