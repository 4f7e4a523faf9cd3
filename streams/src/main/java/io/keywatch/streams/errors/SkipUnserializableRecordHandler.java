package io.keywatch.streams.errors;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Skips (and logs) an output record that cannot be serialized, because retrying it would fail the same way forever
 * and stall the pipeline; every other send failure keeps Kafka's default handling (retry what is retriable, fail
 * otherwise, so that exactly-once is not silently broken).
 */
public class SkipUnserializableRecordHandler extends DefaultProductionExceptionHandler {

    private static final Logger LOG = LoggerFactory.getLogger(SkipUnserializableRecordHandler.class);

    @Override
    @SuppressWarnings("rawtypes")
    public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                             SerializationExceptionOrigin origin) {
        LOG.error("skipping a record for topic {} whose {} cannot be serialized (from {}-{}@{}, processor {})",
                record.topic(), origin, context.topic(), context.partition(), context.offset(),
                context.processorNodeId(), exception);
        return Response.resume();
    }
}
