package io.keywatch.standalone.logging;

import java.util.Locale;

/** The console's log format, {@code KEYWATCH_LOG_FORMAT}: lines for people (the default) or JSON for log shippers. */
public enum LogFormat {
    TEXT,
    JSON;

    /** {@code text} or {@code json}, in any case; unset or blank is {@code text}. */
    public static LogFormat parse(String value) {
        if (value == null || value.isBlank()) {
            return TEXT;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("KEYWATCH_LOG_FORMAT must be text or json, not \""
                    + OneLineMessageConverter.escape(value.length() > 32 ? value.substring(0, 32) + "..." : value)
                    + "\"");
        };
    }
}
