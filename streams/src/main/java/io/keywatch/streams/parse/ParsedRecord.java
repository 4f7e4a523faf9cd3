package io.keywatch.streams.parse;

import io.keywatch.events.UsageEvent;

/**
 * The outcome of parsing one usage-events record: the event, or the untouched bytes to dead-letter.
 *
 * @param event the parsed event; null when rejected
 * @param raw           the record value as it arrived (its secrets replaced by fingerprints), for the DLQ; null when
 *                      valid
 * @param deadLetterKey the record key for the DLQ: as it arrived, bounded, a secret replaced by its fingerprint
 */
public record ParsedRecord(UsageEvent event, byte[] raw, String deadLetterKey) {

    public static ParsedRecord valid(UsageEvent event) {
        return new ParsedRecord(event, null, null);
    }

    public static ParsedRecord rejected(String deadLetterKey, byte[] raw) {
        return new ParsedRecord(null, raw, deadLetterKey);
    }

    public boolean isValid() {
        return event != null;
    }
}
