package io.keywatch.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

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
    /**
     * Added by {@code keywatch dlq replay}: the dead letter ({@code topic-partition@offset}) a record was replayed
     * from, so that a record dead-lettered again can be traced.
     */
    public static final String REPLAYED_FROM_HEADER = "keywatch.dlq.replayed-from";
    /** Every header above starts with this; a replay drops them (and adds a new replayed-from). */
    public static final String HEADER_PREFIX = "keywatch.dlq.";

    private DeadLetter() {
    }

    /**
     * Sets keywatch's three dead-letter headers on {@code headers}: removes exactly those (a replayed record's, or a
     * forged one's) and adds origin, reason and reason code. Every other header, {@code keywatch.dlq.replayed-from}
     * included, stays. Returns {@code headers}.
     */
    public static Headers mark(Headers headers, String origin, String reason, String reasonCode) {
        headers.remove(REASON_HEADER);
        headers.remove(REASON_CODE_HEADER);
        headers.remove(ORIGIN_HEADER);
        headers.add(ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        headers.add(REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(REASON_CODE_HEADER, reasonCode.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
