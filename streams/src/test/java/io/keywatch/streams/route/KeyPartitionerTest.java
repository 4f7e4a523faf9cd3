package io.keywatch.streams.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class KeyPartitionerTest {

    /**
     * The re-key topic is written by Kafka Streams' default partitioner: a key id re-keyed there must land on the
     * partition KeyPartitioner names, or the hygiene scan and the events would live in different tasks.
     */
    @Test
    void agreesWithKafkasOwnPartitionerForStringKeys() {
        Random random = new Random(42);
        for (int partitions : new int[] {1, 2, 3, 7, 12, 64}) {
            KeyPartitioner partitioner = new KeyPartitioner(partitions);
            for (int i = 0; i < 2_000; i++) {
                String keyId = randomKeyId(random);
                assertThat(partitioner.partitionOf(keyId))
                        .as("key id %s over %d partitions", keyId, partitions)
                        .isEqualTo(BuiltInPartitioner.partitionForKey(keyId.getBytes(StandardCharsets.UTF_8),
                                partitions));
            }
        }
    }

    @Test
    void refusesANonPositiveCount() {
        assertThatThrownBy(() -> new KeyPartitioner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static String randomKeyId(Random random) {
        StringBuilder id = new StringBuilder();
        int length = 1 + random.nextInt(40);
        for (int i = 0; i < length; i++) {
            // ASCII and beyond: the partition is computed over UTF-8 bytes
            id.appendCodePoint(random.nextInt(4) == 0 ? 0xA1 + random.nextInt(0x2000) : 0x21 + random.nextInt(94));
        }
        return id.toString();
    }
}
