package io.keywatch.api.alerts;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;
import java.util.Map;

/** An alert as the API stores and serves it: the topology's alert plus its triage status and storage time. */
public record StoredAlert(
        String id,
        AlertRule rule,
        Severity severity,
        String keyId,
        Instant windowStart,
        Instant windowEnd,
        Instant triggeredAt,
        Instant detectedAt,
        double observed,
        double threshold,
        Double baseline,
        String summary,
        Map<String, Object> evidence,
        AlertStatus status,
        Instant storedAt) {
}
