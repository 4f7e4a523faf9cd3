package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * One key's usage in one minute, as the interactive query returns it.
 *
 * @param distinctClientIps      exact up to {@link MinuteAggregate#MAX_CLIENT_IPS}; a lower bound when
 *                               {@code clientIpsSaturated}
 * @param baselineRequests       the key's learned requests per minute when this minute opened; null while unknown
 * @param baselineMinutes        completed minutes behind that baseline
 * @param alerts                 highest severity raised this minute per rule
 */
public record MinuteUsage(
        String keyId,
        Instant windowStart,
        Instant windowEnd,
        long requests,
        long errors,
        long authFailures,
        int distinctClientIps,
        boolean clientIpsSaturated,
        int distinctCountries,
        Map<String, Long> topClientIps,
        Map<String, Long> topCountries,
        Map<String, Long> topPaths,
        Map<String, Long> authResults,
        Double baselineRequests,
        int baselineMinutes,
        Map<AlertRule, Severity> alerts) {

    /** How many values the top-N maps list. */
    public static final int TOP_N = 10;

    public static MinuteUsage of(String keyId, Instant windowStart, Instant windowEnd, MinuteAggregate aggregate) {
        Map<AlertRule, Severity> alerts = new EnumMap<>(AlertRule.class);
        for (AlertRule rule : AlertRule.values()) {
            Severity severity = aggregate.alerted(rule);
            if (severity != null) {
                alerts.put(rule, severity);
            }
        }
        return new MinuteUsage(keyId, windowStart, windowEnd, aggregate.requests(), aggregate.errors(),
                aggregate.authFailures(), aggregate.clientIps().distinct(), aggregate.clientIps().saturated(),
                aggregate.countries().distinct(), aggregate.clientIps().top(TOP_N), aggregate.countries().top(TOP_N),
                aggregate.paths().top(TOP_N), aggregate.authResultCounts(),
                aggregate.hasBaseline() && aggregate.baselineMinutes() > 0 ? aggregate.baselineMean() : null,
                aggregate.baselineMinutes(), alerts);
    }

    /** Reads a key's minutes whose start lies in {@code [from, to]} from the usage window store, oldest first. */
    public static List<MinuteUsage> fetch(ReadOnlyWindowStore<String, MinuteAggregate> store, String keyId,
                                          Instant from, Instant to, long windowSizeMs) {
        List<MinuteUsage> minutes = new ArrayList<>();
        try (WindowStoreIterator<MinuteAggregate> iterator = store.fetch(keyId, from, to)) {
            while (iterator.hasNext()) {
                KeyValue<Long, MinuteAggregate> entry = iterator.next();
                minutes.add(of(keyId, Instant.ofEpochMilli(entry.key),
                        Instant.ofEpochMilli(entry.key + windowSizeMs), entry.value));
            }
        }
        return minutes;
    }
}
