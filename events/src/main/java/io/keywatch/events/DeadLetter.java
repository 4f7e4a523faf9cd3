package io.keywatch.events;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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

    /**
     * Bounds that keep a dead-letter record sendable: a record close to the broker's size limit would pass it once
     * keywatch's headers are added, and a send the producer refuses fails again on every retry (under exactly-once,
     * the whole task's transaction), holding up everything behind it. Parts beyond them are left out, and the reason
     * says so ({@link #bound}).
     */
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    /** See {@link #MAX_VALUE_BYTES}: a record key longer than this is left out. */
    public static final int MAX_KEY_BYTES = 16 * 1024;
    /** See {@link #MAX_VALUE_BYTES}: the record's own headers are copied only up to this size in all. */
    public static final int MAX_COPIED_HEADER_BYTES = 16 * 1024;

    private DeadLetter() {
    }

    /**
     * A record's key, value and own headers as a dead-letter record may carry them: each part beyond its bound is
     * left out (null, or no headers), and {@code leftOut} is what the reason must add ("" when nothing was).
     *
     * @param headers a copy: the record's may be shared with others
     */
    public record Bounded(byte[] key, byte[] value, Headers headers, String leftOut) {
    }

    public static Bounded bound(byte[] key, byte[] value, Headers own) {
        StringBuilder leftOut = new StringBuilder();
        if (key != null && key.length > MAX_KEY_BYTES) {
            leftOut.append(" (record key of ").append(key.length).append(" bytes left out)");
            key = null;
        }
        if (value != null && value.length > MAX_VALUE_BYTES) {
            leftOut.append(" (value of ").append(value.length).append(" bytes left out)");
            value = null;
        }
        Headers headers = new RecordHeaders();
        if (own != null) {
            long size = 0;
            for (Header header : own) {
                size += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
            if (size <= MAX_COPIED_HEADER_BYTES) {
                own.forEach(headers::add);
            } else {
                leftOut.append(" (the record's own headers, ").append(size).append(" bytes, left out)");
            }
        }
        return new Bounded(key, value, headers, leftOut.toString());
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
