package io.keywatch.streams.parse;

import io.keywatch.events.UsageEvent;

/**
 * The outcome of parsing one usage-events record: the event, or the untouched bytes to dead-letter.
 *
 * @param event the parsed event; null when rejected
 * @param raw           the record value as it arrived (its secrets replaced by fingerprints), for the DLQ; null when
 *                      valid
 * @param deadLetterKey the record key for the DLQ: as it arrived, bounded, a secret replaced by its fingerprint
 * @param secretFingerprint for a rejected record that held a secret, the fingerprint it was replaced by (the
 *                          topology reports it as {@code SECRET_IN_TELEMETRY}); null otherwise
 */
public record ParsedRecord(UsageEvent event, byte[] raw, String deadLetterKey, String secretFingerprint) {

    public static ParsedRecord valid(UsageEvent event) {
        return new ParsedRecord(event, null, null, null);
    }

    public static ParsedRecord rejected(String deadLetterKey, byte[] raw, String secretFingerprint) {
        return new ParsedRecord(null, raw, deadLetterKey, secretFingerprint);
    }

    public boolean heldSecret() {
        return secretFingerprint != null;
    }

    public boolean isValid() {
        return event != null;
    }
}
