package io.keywatch.streams.parse;

import io.keywatch.events.UsageEvent;

/**
 * The outcome of parsing one usage-events record: the event, or the untouched bytes to dead-letter.
 *
 * @param event the parsed event; null when rejected
 * @param raw   the record value exactly as it arrived; kept so that a rejected record goes to the DLQ unchanged
 */
public record ParsedRecord(UsageEvent event, byte[] raw) {

    public static ParsedRecord valid(UsageEvent event) {
        return new ParsedRecord(event, null);
    }

    public static ParsedRecord rejected(byte[] raw) {
        return new ParsedRecord(null, raw);
    }

    public boolean isValid() {
        return event != null;
    }
}
