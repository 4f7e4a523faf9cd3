package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.aggregate.MinuteAggregate;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** AUTH_FAILURE_BURST: many INVALID_SECRET results for one key in one minute, what brute force looks like. */
public final class AuthFailureBurstRule {

    private final DetectionSettings settings;

    public AuthFailureBurstRule(DetectionSettings settings) {
        this.settings = settings;
    }

    /** The severity this minute deserves so far, or null when the failures are below the threshold. */
    public Severity severity(MinuteAggregate usage) {
        long failures = usage.authFailures();
        if (failures >= settings.authFailuresCritical()) {
            return Severity.CRITICAL;
        }
        return failures >= settings.authFailuresHigh() ? Severity.HIGH : null;
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity) {
        int threshold = severity == Severity.CRITICAL ? settings.authFailuresCritical() : settings.authFailuresHigh();
        String summary = String.format(Locale.ROOT,
                "Key %s failed %d secret checks (INVALID_SECRET) in the minute starting %s, out of %d requests "
                        + "from %d client IPs; %d failures raise HIGH, %d CRITICAL. This looks like brute force.",
                keyId, usage.authFailures(), windowStart, usage.requests(), usage.clientIps().distinct(),
                settings.authFailuresHigh(), settings.authFailuresCritical());
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("highThreshold", settings.authFailuresHigh());
        evidence.put("criticalThreshold", settings.authFailuresCritical());
        return new Finding(AlertRule.AUTH_FAILURE_BURST, severity, usage.authFailures(), threshold, null, summary,
                evidence);
    }
}
