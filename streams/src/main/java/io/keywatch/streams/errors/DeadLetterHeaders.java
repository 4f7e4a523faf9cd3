package io.keywatch.streams.errors;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import org.apache.kafka.common.header.Headers;

/**
 * The headers of a record bound for {@code keywatch.usage-events.dlq}: its own, plus reason, reason code and origin;
 * and, for the parse step's string keys, the bounds that keep a dead-letter record sendable ({@link DeadLetter#bound}
 * has them for raw records).
 */
public final class DeadLetterHeaders {

    /** A record key longer than this is dead-lettered without its key ({@link DeadLetter#MAX_KEY_BYTES} chars). */
    public static final int MAX_KEY_CHARS = DeadLetter.MAX_KEY_BYTES;

    private DeadLetterHeaders() {
    }

    /**
     * A copy of the record's headers (they may be shared with other branches of the topology) with the dead-letter
     * headers set; earlier ones (a replayed record's) are replaced. Headers larger than
     * {@link DeadLetter#MAX_COPIED_HEADER_BYTES} in all are left out, and the reason says so.
     */
    public static Headers of(Headers original, RejectCode code, String reason, String origin) {
        DeadLetter.Bounded own = DeadLetter.bound(null, null, original);
        return DeadLetter.mark(own.headers(), origin, reason + own.leftOut(), code.code());
    }

    /** {@code topic-partition@offset}, or "unknown" when there is no source record. */
    public static String origin(String topic, int partition, long offset) {
        return topic == null ? "unknown" : topic + "-" + partition + "@" + offset;
    }

    /** The record key a dead-letter record can carry: null when longer than {@link #MAX_KEY_CHARS}. */
    public static String key(String key) {
        return key != null && key.length() > MAX_KEY_CHARS ? null : key;
    }

    /** The record value a dead-letter record can carry: null when larger than {@link DeadLetter#MAX_VALUE_BYTES}. */
    public static byte[] value(byte[] value) {
        return value != null && value.length > DeadLetter.MAX_VALUE_BYTES ? null : value;
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
