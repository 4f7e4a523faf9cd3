package io.keywatch.streams.errors;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import io.keywatch.streams.redact.DeadLetterRedactor;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** What the dead-lettering handlers share: where the records go, and how an exception reads in a reason. */
final class DeadLetterTopic {

    /** How much of an exception (class, message, first cause; escaped) a reason shows: it may quote the record. */
    static final int MAX_REASON_CHARS = 300;

    private DeadLetterTopic() {
    }

    /** The topic of KIP-1034's {@code errors.dead.letter.queue.topic.name}, which keywatch sets to its usage DLQ. */
    static String from(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new ConfigException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG + " must name the "
                    + "dead-letter topic for keywatch's exception handlers");
        }
        return topic.toString();
    }

    /**
     * The source record of the handler's context as it was read (KIP-1034: its raw key and value) for the dead-letter
     * topic, with the dead-letter headers; a key or value beyond {@link DeadLetterHeaders}' bounds is left out, and
     * the reason says so; a secret in the key or value is replaced by its fingerprint (the source record may not have
     * been redacted yet), and a header says so.
     */
    static ProducerRecord<byte[], byte[]> record(String topic, ErrorHandlerContext context, RejectCode code,
                                                 String reason, String origin, DeadLetterRedactor redactor) {
        DeadLetter.Bounded bounded = DeadLetter.bound(context.sourceRawKey(), context.sourceRawValue(), null);
        byte[] key = bounded.key();
        byte[] value = bounded.value();
        reason += bounded.leftOut();
        byte[] redactedKey;
        byte[] redactedValue;
        Headers headers;
        boolean copiedHeaders;
        synchronized (redactor) { // one redactor per handler, and a handler may serve several stream threads
            redactedKey = redactor.key(key);
            redactedValue = redactor.value(value);
            if (redactedValue == null && value != null) {
                reason += DeadLetterRedactor.VALUE_LEFT_OUT;
            }
            headers = DeadLetterHeaders.of(context.headers(), code, reason, origin);
            copiedHeaders = redactor.headers(headers);
        }
        DeadLetterRedactor.mark(headers, redactedKey != key, redactedValue != value, copiedHeaders);
        return new ProducerRecord<>(topic, null, context.timestamp() >= 0 ? context.timestamp() : null,
                redactedKey, redactedValue, headers);
    }

    /** Where the exception was thrown (the top frame), for the log: no message, so nothing from the record. */
    static String where(Throwable exception) {
        StackTraceElement[] trace = exception.getStackTrace();
        return trace.length == 0 ? "" : "at " + trace[0];
    }
}
