package io.keywatch.streams.errors;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record bound for {@code keywatch.usage-events.dlq}: its own, plus reason, reason code and origin;
 * and the bounds that keep a dead-letter record sendable. A record close to the broker's size limit would pass it
 * once keywatch's headers are added, and under exactly-once a record the producer refuses fails the transaction, so
 * the task would retry it forever: parts beyond these bounds are left out, and the reason says so.
 */
public final class DeadLetterHeaders {

    /** A record value larger than this is dead-lettered without its value (it is refused as too large anyway). */
    public static final int MAX_VALUE_BYTES = 512 * 1024;
    /** A record key longer than this is dead-lettered without its key. */
    public static final int MAX_KEY_CHARS = 16 * 1024;
    /** The record's own headers are copied only up to this size in all. */
    public static final int MAX_COPIED_HEADER_BYTES = 16 * 1024;

    private DeadLetterHeaders() {
    }

    /**
     * A copy of the record's headers (they may be shared with other branches of the topology) with the dead-letter
     * headers set; earlier ones (a replayed record's) are replaced. Headers larger than
     * {@link #MAX_COPIED_HEADER_BYTES} in all are left out, and the reason says so.
     */
    public static Headers of(Headers original, RejectCode code, String reason, String origin) {
        Headers headers = new RecordHeaders();
        if (original != null) {
            long size = 0;
            for (Header header : original) {
                size += header.key().length() + (header.value() == null ? 0 : header.value().length);
            }
            if (size <= MAX_COPIED_HEADER_BYTES) {
                headers = new RecordHeaders(original.toArray());
            } else {
                reason += " (the record's own headers, " + size + " bytes, left out)";
            }
        }
        return DeadLetter.mark(headers, origin, reason, code.code());
    }

    /** {@code topic-partition@offset}, or "unknown" when there is no source record. */
    public static String origin(String topic, int partition, long offset) {
        return topic == null ? "unknown" : topic + "-" + partition + "@" + offset;
    }

    /** The record key a dead-letter record can carry: null when longer than {@link #MAX_KEY_CHARS}. */
    public static String key(String key) {
        return key != null && key.length() > MAX_KEY_CHARS ? null : key;
    }

    /** The record value a dead-letter record can carry: null when larger than {@link #MAX_VALUE_BYTES}. */
    public static byte[] value(byte[] value) {
        return value != null && value.length > MAX_VALUE_BYTES ? null : value;
    }

    /** What the reason adds when {@link #key(String)} or {@link #value(byte[])} leave a part out; "" otherwise. */
    public static String leftOut(String key, byte[] value) {
        String note = "";
        if (key(key) == null && key != null) {
            note += " (record key of " + key.length() + " characters left out)";
        }
        if (value(value) == null && value != null) {
            note += " (value of " + value.length + " bytes left out)";
        }
        return note;
    }
}
