package io.keywatch.streams.sign;

import io.keywatch.events.signing.RecordSignatures;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Serializes a record's value and signs it for its sink topic ({@link RecordSignatures}), just before the sink.
 * Here rather than in a serializer, which cannot add headers, or a producer interceptor, which Kafka Streams does not
 * offer per sink: the sink then writes the bytes (and these headers) as they are. The key is signed as the sink's
 * {@code StringSerializer} writes it (UTF-8).
 *
 * <p>The headers are a copy of the input record's without any signature it carried: a usage event that arrives with
 * a forged {@code keywatch.sig} must not pass it on to the alert it causes.
 */
public final class SignRecordProcessor<V> implements FixedKeyProcessor<String, V, byte[]> {

    private final String topic;
    private final Serializer<V> serializer;
    private final RecordSignatures signatures;
    private FixedKeyProcessorContext<String, byte[]> context;

    public SignRecordProcessor(String topic, Serializer<V> serializer, RecordSignatures signatures) {
        this.topic = topic;
        this.serializer = serializer;
        this.signatures = signatures;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        byte[] value = serializer.serialize(topic, record.value());
        byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        signatures.sign(topic, key, value, headers);
        context.forward(record.withValue(value).withHeaders(headers));
    }
}
