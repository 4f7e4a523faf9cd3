package io.keywatch.streams.route;

import io.keywatch.events.UsageEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Tells, for each event read from the usage-events topic, whether it is at home ({@link Placed#home()}): keyed by its
 * key id and on the partition {@link KeyPartitioner} gives that key id. Only those skip the re-key topic. Checking the
 * key alone is not enough: a producer with another partitioner (librdkafka's default CRC32, random, round-robin)
 * puts a correctly keyed record on another partition, and one key's events would be counted by two tasks — two
 * minutes, two profiles, bursts split below every threshold.
 */
public final class PlacementCheck implements FixedKeyProcessor<String, UsageEvent, Placed> {

    private final KeyPartitioner partitioner;
    private FixedKeyProcessorContext<String, Placed> context;

    public PlacementCheck(KeyPartitioner partitioner) {
        this.partitioner = partitioner;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Placed> context) {
        this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        boolean home = event.keyId().equals(record.key())
                && context.recordMetadata()
                        .map(metadata -> metadata.partition() == partitioner.partitionOf(event.keyId()))
                        .orElse(false);
        context.forward(record.withValue(new Placed(event, home)));
    }
}
