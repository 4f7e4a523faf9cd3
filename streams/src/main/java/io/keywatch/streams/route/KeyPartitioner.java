package io.keywatch.streams.route;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The one place that says which partition a key id belongs to: murmur2 of its UTF-8 bytes, modulo the usage-events
 * topic's real partition count — what Kafka's Java producer and Kafka Streams' repartitioning do for a String key, so
 * a re-keyed event lands on the partition this names. Whatever partitioner a producer used (librdkafka's CRC32,
 * random, a custom one), the topology moves each event to this partition's task, and the hygiene scan reports a
 * registered key from that task alone.
 *
 * @param partitions the usage-events topic's partition count as the broker reports it, not as configured
 */
public record KeyPartitioner(int partitions) {

    public KeyPartitioner {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be greater than 0, was " + partitions);
        }
    }

    /** The partition (and so the task) that owns the key id's events, state and hygiene alerts. */
    public int partitionOf(String keyId) {
        return Utils.toPositive(Utils.murmur2(keyId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
