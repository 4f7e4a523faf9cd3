package io.keywatch.streams.errors;

import io.keywatch.events.LogSampling;
import io.keywatch.events.RejectCode;
import io.keywatch.events.SafeText;
import io.keywatch.streams.redact.DeadLetterRedactor;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that makes any processor throw goes to the dead-letter topic exactly as it was read from its source topic
 * (KIP-1034: the source's raw key and value), with the exception as the reason ({@link RejectCode#PROCESSING_ERROR}),
 * and processing goes on with the next record; a secret in the key or value is replaced by its fingerprint
 * ({@link DeadLetterRedactor}: the source record had not been redacted yet). Counted in {@link DeadLetterCounts}; the log only samples. An
 * exception in a punctuation has no record to dead-letter: it is counted and logged.
 */
public final class DeadLetteringProcessingExceptionHandler implements ProcessingExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetteringProcessingExceptionHandler.class);

    private String topic;
    private DeadLetterCounts counts;
    private DeadLetterRedactor redactor;

    @Override
    public void configure(Map<String, ?> configs) {
        topic = DeadLetterTopic.from(configs);
        counts = DeadLetterCounts.from(configs);
        redactor = DeadLetterRedactor.from(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (isKafkaFailure(exception)) {
            // not the record's doing (e.g. the producer failed the transaction): Kafka Streams recovers, and under
            // exactly-once the records are processed again; dead-lettering would take a good record out
            LOG.error("processor {} failed on Kafka itself, not on the record; failing the task",
                    context.processorNodeId(), exception);
            return Response.fail();
        }
        long count = counts.increment(RejectCode.PROCESSING_ERROR);
        String reason = "processor " + context.processorNodeId() + " threw " + SafeText.describe(exception, DeadLetterTopic.MAX_REASON_CHARS);
        String origin = DeadLetterHeaders.origin(context.topic(), context.partition(), context.offset());
        if (LogSampling.shouldLog(count)) {
            LOG.error("dead-lettered a record from {} ({} processing errors so far): {} {}", origin, count, reason,
                    DeadLetterTopic.where(exception));
        }
        if (context.topic() == null) {
            return Response.resume();
        }
        return Response.resume(List.of(
                DeadLetterTopic.record(topic, context, RejectCode.PROCESSING_ERROR, reason, origin, redactor)));
    }

    /**
     * Kafka's own failure surfacing in a processor (a producer that failed the transaction, a broker error): a
     * StreamsException caused by a KafkaException other than a serialization failure, which is the record's.
     */
    private static boolean isKafkaFailure(Exception exception) {
        Throwable cause = exception.getCause();
        return exception instanceof StreamsException && cause instanceof KafkaException
                && !(cause instanceof SerializationException);
    }
}
