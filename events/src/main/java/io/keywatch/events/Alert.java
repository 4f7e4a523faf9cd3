package io.keywatch.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A detector's finding about one key in one window.
 *
 * @param id          deterministic for (rule, key, window start): a replay cannot duplicate an alert
 * @param triggeredAt event time of the event that crossed the threshold
 * @param detectedAt  wall-clock time at which the topology raised the alert
 * @param observed    the value the detector measured (requests, failures, ...)
 * @param threshold   the value it was compared with
 * @param baseline    the key's learned normal for that value, where the rule has one
 * @param evidence    numbers a person can check: top client IPs, countries, paths, counts by auth result
 */
public record Alert(
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
        Map<String, Object> evidence) {

    public Alert {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(windowStart, "windowStart");
        Objects.requireNonNull(windowEnd, "windowEnd");
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /** The id an alert of this rule, key and window always gets. */
    public static String idFor(AlertRule rule, String keyId, Instant windowStart) {
        String name = rule.name() + '|' + keyId + '|' + windowStart.toEpochMilli();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
