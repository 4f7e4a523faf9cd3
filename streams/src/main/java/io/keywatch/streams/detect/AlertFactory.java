package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.MinuteUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a finding into an alert, adding the minute's usage numbers (when the alert comes from an event) as evidence
 * a person can check. The id is {@link Alert#idFor} of the rule, key and the rule's own window start.
 */
public final class AlertFactory {

    public Alert create(Finding finding, String keyId, Instant windowStart, Instant windowEnd, Instant triggeredAt,
                        Instant detectedAt, MinuteAggregate usage) {
        Map<String, Object> evidence = new LinkedHashMap<>();
        if (usage != null) {
            putUsage(evidence, usage);
        }
        evidence.putAll(finding.evidence());
        return new Alert(
                Alert.idFor(finding.rule(), keyId, windowStart),
                finding.rule(),
                finding.severity(),
                keyId,
                windowStart,
                windowEnd,
                triggeredAt,
                detectedAt,
                finding.observed(),
                finding.threshold(),
                finding.baseline(),
                finding.summary(),
                evidence);
    }

    private static void putUsage(Map<String, Object> evidence, MinuteAggregate usage) {
        evidence.put("requests", usage.requests());
        evidence.put("errors", usage.errors());
        evidence.put("authFailures", usage.authFailures());
        evidence.put("authResults", usage.authResultCounts());
        evidence.put("distinctClientIps", usage.clientIps().distinct());
        evidence.put("distinctClientIpsSaturated", usage.clientIps().saturated());
        evidence.put("distinctCountries", usage.countries().distinct());
        evidence.put("topClientIps", usage.clientIps().top(MinuteUsage.TOP_N));
        evidence.put("topCountries", usage.countries().top(MinuteUsage.TOP_N));
        evidence.put("topPaths", usage.paths().top(MinuteUsage.TOP_N));
    }
}
