package io.keywatch.events;

/**
 * Headers that keywatch adds to a record it sends to a dead-letter topic ({@code keywatch.usage-events.dlq},
 * {@code keywatch.alerts.dlq}); the record's key and value stay exactly as they arrived, so a fixed record can be
 * replayed ({@code keywatch dlq}), except for secrets in them, which are replaced by their fingerprints
 * ({@link #REDACTED_HEADER}).
 */
public final class DeadLetter {

    /** Why the record was rejected, in words (UTF-8) a person can act on. */
    public static final String REASON_HEADER = "keywatch.dlq.reason";
    /**
     * The reason's kind, one short kebab-case word ({@code invalid-json}, {@code field-invalid}, {@code late},
     * {@code processing-error}, ...): what {@code keywatch dlq} groups and selects by. Listed in the README.
     */
    public static final String REASON_CODE_HEADER = "keywatch.dlq.reason-code";
    /** The topic, partition and offset the record came from, as {@code topic-partition@offset}. */
    public static final String ORIGIN_HEADER = "keywatch.dlq.origin";
    /**
     * Present when keywatch replaced secrets in the dead letter by their fingerprints (never stored in clear): which
     * part differs from the record as it arrived, {@code key}, {@code value} or {@code key,value}.
     */
    public static final String REDACTED_HEADER = "keywatch.dlq.redacted";

    private DeadLetter() {
    }
}
