package io.keywatch.streams.errors;

import io.keywatch.events.LogSampling;
import io.keywatch.events.RejectCode;
import io.keywatch.events.SafeText;
import io.keywatch.streams.redact.DeadLetterRedactor;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output record that cannot be serialized (an alert, a late event) is skipped, because retrying it would fail the
 * same way forever and stall the pipeline, and the source record it came from goes to the dead-letter topic as it
 * was read ({@link RejectCode#SERIALIZATION_ERROR}, counted in {@link DeadLetterCounts}; the log only samples), so it
 * can be replayed once fixed. Every other send failure keeps Kafka's default handling (retry what is retriable, fail
 * otherwise, so that exactly-once is not silently broken).
 */
public class SkipUnserializableRecordHandler extends DefaultProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkipUnserializableRecordHandler.class);

    private String topic;
    private DeadLetterCounts counts;
    private DeadLetterRedactor redactor;

    @Override
    public void configure(Map<String, ?> configs) {
        super.configure(configs);
        topic = DeadLetterTopic.from(configs);
        counts = DeadLetterCounts.from(configs);
        redactor = DeadLetterRedactor.from(configs);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        long count = counts.increment(RejectCode.SERIALIZATION_ERROR);
        String reason = "the " + origin.toString().toLowerCase(Locale.ROOT) + " of a record for topic "
                + record.topic() + " made by processor " + context.processorNodeId() + " cannot be serialized: "
                + SafeText.describe(exception, DeadLetterTopic.MAX_REASON_CHARS);
        String source = DeadLetterHeaders.origin(context.topic(), context.partition(), context.offset());
        if (LogSampling.shouldLog(count)) {
            LOG.error("skipped an output record and dead-lettered its source record {} ({} so far): {} {}", source,
                    count, reason, DeadLetterTopic.where(exception));
        }
        // no source record (a punctuation), or the dead-letter record itself: nothing (more) to send
        if (context.topic() == null || topic.equals(record.topic())) {
            return Response.resume();
        }
        return Response.resume(List.of(DeadLetterTopic.record(topic, context, RejectCode.SERIALIZATION_ERROR, reason,
                source, redactor)));
    }
}
