package io.keywatch.standalone.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %msg} with CR, LF, every other control character and the format characters (bidi overrides) escaped ({@code \n}, {@code \r}, {@code \u001b}), so
 * that text a client or a record carried (a revocation reason, a note, an id) can never start a forged log line or
 * drive a terminal. Registered in logback.xml as {@code %safeMsg}; the one place every message passes.
 */
public final class OneLineMessageConverter extends MessageConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return escape(super.convert(event));
    }

    static String escape(String message) {
        if (message == null) {
            return null;
        }
        StringBuilder out = null;
        // by code point: format characters beyond the BMP (the U+E0000 tags) come as surrogate pairs
        for (int i = 0; i < message.length(); ) {
            int c = message.codePointAt(i);
            int width = Character.charCount(c);
            // format characters too (bidi overrides such as U+202E, zero-width ones, tags): they reorder or hide
            // what a person reads in the line
            boolean control = c < 0x20 && c != '\t' || c == 0x7f || c == 0x2028 || c == 0x2029
                    || c >= 0x80 && c <= 0x9f || Character.getType(c) == Character.FORMAT;
            if (control && out == null) {
                out = new StringBuilder(message.length() + 16).append(message, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.appendCodePoint(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else {
                    out.append(c > 0xffff ? String.format("\\U%06x", c) : String.format("\\u%04x", c));
                }
            }
            i += width;
        }
        return out == null ? message : out.toString();
    }
}
