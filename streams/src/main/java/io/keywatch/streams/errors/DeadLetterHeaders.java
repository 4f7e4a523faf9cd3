package io.keywatch.streams.errors;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers of a record bound for {@code keywatch.usage-events.dlq}: its own, plus reason, reason code and origin. */
public final class DeadLetterHeaders {

    private DeadLetterHeaders() {
    }

    /**
     * A copy of the record's headers (they may be shared with other branches of the topology) with the dead-letter
     * headers set; earlier ones (a replayed record's) are replaced.
     */
    public static Headers of(Headers original, RejectCode code, String reason, String origin) {
        Headers headers = original == null ? new RecordHeaders() : new RecordHeaders(original.toArray());
        headers.remove(DeadLetter.REASON_HEADER);
        headers.remove(DeadLetter.REASON_CODE_HEADER);
        headers.remove(DeadLetter.ORIGIN_HEADER);
        headers.add(DeadLetter.REASON_HEADER, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetter.REASON_CODE_HEADER, code.code().getBytes(StandardCharsets.UTF_8));
        headers.add(DeadLetter.ORIGIN_HEADER, origin.getBytes(StandardCharsets.UTF_8));
        return headers;
    }

    /** {@code topic-partition@offset}, or "unknown" when there is no source record. */
    public static String origin(String topic, int partition, long offset) {
        return topic == null ? "unknown" : topic + "-" + partition + "@" + offset;
    }
}
