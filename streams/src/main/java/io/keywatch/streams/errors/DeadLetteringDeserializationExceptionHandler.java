package io.keywatch.streams.errors;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.LogSampling;
import io.keywatch.events.RejectCode;
import io.keywatch.events.SafeText;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be deserialized goes to the dead-letter topic as it was read, with the exception as the reason
 * ({@link RejectCode#DESERIALIZATION_ERROR}). keywatch reads usage events as bytes and parses them itself, so this
 * only sees its internal topic's records (events re-keyed by keyId); counted and log-sampled like the others.
 */
public final class DeadLetteringDeserializationExceptionHandler implements DeserializationExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringDeserializationExceptionHandler.class);

    private String topic;
    private DeadLetterCounts counts;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = DeadLetterTopic.from(configs);
        counts = DeadLetterCounts.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        long count = counts.increment(RejectCode.DESERIALIZATION_ERROR);
        String origin = DeadLetterHeaders.origin(record.topic(), record.partition(), record.offset());
        String reason = "cannot deserialize: " + SafeText.describe(exception, DeadLetterTopic.MAX_REASON_CHARS);
        if (LogSampling.shouldLog(count)) {
            LOG.error("dead-lettered a record from {} ({} deserialization errors so far): {}", origin, count, reason);
        }
        DeadLetter.Bounded bounded = DeadLetter.bound(record.key(), record.value(), record.headers());
        ProducerRecord<byte[], byte[]> dead = new ProducerRecord<>(topic, null,
                record.timestamp() >= 0 ? record.timestamp() : null, bounded.key(), bounded.value(),
                DeadLetter.mark(bounded.headers(), origin, reason + bounded.leftOut(),
                        RejectCode.DESERIALIZATION_ERROR.code()));
        return Response.resume(List.of(dead));
    }
}
