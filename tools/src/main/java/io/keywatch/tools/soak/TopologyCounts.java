package io.keywatch.tools.soak;

import io.keywatch.standalone.dlq.DeadLetterReader;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteAggregateSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What the topology counted, read independently of the ledger's arithmetic: the usage store's changelog topic
 * (read_committed, so exactly what the streams group committed), latest value per key and minute, summed per key.
 * A window store's changelog key is the record key, then the window start (8 bytes), then a sequence number
 * (4 bytes).
 */
final class TopologyCounts {

    private static final int WINDOW_SUFFIX_BYTES = 8 + 4;

    private TopologyCounts() {
    }

    /** Per key of {@code keys}: the requests the topology holds over all its minutes. */
    static Map<String, Long> requests(DeadLetterReader reader, String changelogTopic, Set<String> keys) {
        Deserializer<MinuteAggregate> deserializer = new MinuteAggregateSerde().deserializer();
        Map<String, Map<Long, Long>> byKeyAndMinute = new HashMap<>();
        reader.forEach(changelogTopic, record -> {
            byte[] raw = record.key();
            if (raw == null || raw.length < WINDOW_SUFFIX_BYTES) {
                return;
            }
            String key = new String(raw, 0, raw.length - WINDOW_SUFFIX_BYTES, StandardCharsets.UTF_8);
            if (!keys.contains(key)) {
                return;
            }
            long windowStart = ByteBuffer.wrap(raw, raw.length - WINDOW_SUFFIX_BYTES, 8).getLong();
            Map<Long, Long> minutes = byKeyAndMinute.computeIfAbsent(key, k -> new HashMap<>());
            if (record.value() == null) {
                minutes.remove(windowStart);
            } else {
                minutes.put(windowStart, deserializer.deserialize(changelogTopic, record.value()).requests());
            }
        });
        Map<String, Long> totals = new HashMap<>();
        for (String key : keys) {
            totals.put(key, byKeyAndMinute.getOrDefault(key, Map.of()).values().stream()
                    .mapToLong(Long::longValue).sum());
        }
        return totals;
    }
}
