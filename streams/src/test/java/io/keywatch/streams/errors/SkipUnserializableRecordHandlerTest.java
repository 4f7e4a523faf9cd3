package io.keywatch.streams.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.DeadLetter;
import io.keywatch.events.RejectCode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** An output record that cannot be serialized: skipped, and its source record dead-lettered and counted. */
class SkipUnserializableRecordHandlerTest {

    /** What Kafka Streams tells the handler about the source record. */
    private record Context(String topic, int partition, long offset, Headers headers, String processorNodeId,
                           TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue)
            implements ErrorHandlerContext {
    }

    @Test
    void theSourceRecordOfAnUnserializableOutputIsDeadLetteredAsItWasRead() {
        DeadLetterCounts counts = new DeadLetterCounts();
        SkipUnserializableRecordHandler handler = new SkipUnserializableRecordHandler();
        handler.configure(Map.of(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "dlq",
                DeadLetterCounts.CONFIG, counts));
        byte[] key = "key-1".getBytes(StandardCharsets.UTF_8);
        byte[] value = "{\"eventId\":\"e\"}".getBytes(StandardCharsets.UTF_8);
        Context context = new Context("usage", 2, 81, new RecordHeaders(), "alerts-sink", new TaskId(1, 2), 1000L,
                key, value);

        ProductionExceptionHandler.Response response = handler.handleSerializationError(context,
                new ProducerRecord<>("alerts", "key-1", new Object()), new SerializationException("NaN"),
                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

        assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
        List<ProducerRecord<byte[], byte[]>> dead = response.deadLetterQueueRecords();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).topic()).isEqualTo("dlq");
        assertThat(dead.get(0).key()).isEqualTo(key);
        assertThat(dead.get(0).value()).isEqualTo(value);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.REASON_CODE_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("serialization-error");
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetter.ORIGIN_HEADER).value(),
                StandardCharsets.UTF_8)).isEqualTo("usage-2@81");
        assertThat(counts.count(RejectCode.SERIALIZATION_ERROR)).isEqualTo(1);
    }
}
