package io.keywatch.standalone.dlq;

import io.keywatch.events.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One record of a dead-letter topic: where it sits, its key, value and headers exactly as stored, and the
 * dead-letter headers keywatch added, read leniently (a record without a reason code counts as {@code unknown}).
 */
public record DeadLetterRecord(Origin location, Instant timestamp, byte[] key, byte[] value, List<Header> headers) {

    public static final String UNKNOWN_CODE = "unknown";

    public DeadLetterRecord {
        headers = List.copyOf(headers);
    }

    public static DeadLetterRecord of(ConsumerRecord<byte[], byte[]> record) {
        return new DeadLetterRecord(new Origin(record.topic(), record.partition(), record.offset()),
                Instant.ofEpochMilli(record.timestamp()), record.key(), record.value(),
                List.of(record.headers().toArray()));
    }

    /** The reason code, or {@code unknown} when the header is missing or blank. */
    public String reasonCode() {
        return header(DeadLetter.REASON_CODE_HEADER).filter(code -> !code.isBlank()).orElse(UNKNOWN_CODE);
    }

    public Optional<String> reason() {
        return header(DeadLetter.REASON_HEADER);
    }

    /** The origin header as written (it may be anything, if someone else wrote the record). */
    public Optional<String> originText() {
        return header(DeadLetter.ORIGIN_HEADER);
    }

    public Optional<Origin> origin() {
        return originText().flatMap(Origin::parse);
    }

    /** The headers a replay carries over: everything but keywatch's dead-letter headers. */
    public List<Header> replayableHeaders() {
        return headers.stream().filter(h -> !h.key().startsWith(DeadLetter.HEADER_PREFIX)).toList();
    }

    /** The last header of that name, as UTF-8 (malformed bytes replaced). */
    private Optional<String> header(String name) {
        Optional<String> found = Optional.empty();
        for (Header header : headers) {
            if (header.key().equals(name) && header.value() != null) {
                found = Optional.of(new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return found;
    }
}
