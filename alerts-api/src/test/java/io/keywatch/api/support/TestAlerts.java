package io.keywatch.api.support;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Alerts for tests, with the fields that matter to each test spelled out and sensible values for the rest. */
public final class TestAlerts {

    private TestAlerts() {
    }

    public static Alert alert(String id, String keyId, AlertRule rule, Severity severity, Instant detectedAt) {
        Instant windowStart = detectedAt.minus(Duration.ofMinutes(5));
        return new Alert(id, rule, severity, keyId, windowStart, windowStart.plus(Duration.ofMinutes(1)),
                detectedAt.minusSeconds(1), detectedAt, 1200, 300, 100.0,
                rule + " on " + keyId, Map.of("topIps", Map.of("203.0.113.7", 900), "requests", 1200));
    }

    public static Alert alert(String id, String keyId, Severity severity, Instant detectedAt) {
        return alert(id, keyId, AlertRule.VOLUME_SPIKE, severity, detectedAt);
    }

    /**
     * The occurrence the topology raises for a rule and key in the window starting at {@code windowStart}, with its
     * deterministic id, detected 10 s after the window started.
     */
    public static Alert occurrence(String keyId, AlertRule rule, Severity severity, Instant windowStart,
                                   double observed) {
        Instant detectedAt = windowStart.plusSeconds(10);
        return new Alert(Alert.idFor(rule, keyId, windowStart), rule, severity, keyId, windowStart,
                windowStart.plus(Duration.ofMinutes(1)), detectedAt.minusSeconds(1), detectedAt, observed, 300, 100.0,
                rule + " on " + keyId + " observed " + observed, Map.of("requests", observed));
    }

    public static Alert withSeverity(Alert alert, Severity severity, double observed) {
        return new Alert(alert.id(), alert.rule(), severity, alert.keyId(), alert.windowStart(), alert.windowEnd(),
                alert.triggeredAt(), alert.detectedAt().plusSeconds(30), observed, alert.threshold(), alert.baseline(),
                alert.summary() + " (escalated)", alert.evidence());
    }
}
