package io.keywatch.standalone.dlq;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code keywatch dlq list} reports: how many records the topic holds, how many match, the matching ones counted
 * by reason code, and the first {@code limit} of them.
 */
public record DeadLetterListing(String topic, long total, long matching, Map<String, Long> byReasonCode,
                                List<DeadLetterRecord> shown) {

    public static DeadLetterListing read(DeadLetterReader reader, String topic, DeadLetterSelection selection,
                                         int limit) {
        Map<String, Long> counts = new TreeMap<>();
        List<DeadLetterRecord> shown = new ArrayList<>();
        long[] matching = {0};
        long total = reader.forEach(topic, record -> {
            if (!selection.test(record)) {
                return;
            }
            matching[0]++;
            counts.merge(record.reasonCode(), 1L, Long::sum);
            if (shown.size() < limit) {
                shown.add(record);
            }
        });
        return new DeadLetterListing(topic, total, matching[0], counts, shown);
    }
}
