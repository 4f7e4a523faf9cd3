package io.keywatch.api.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;

/**
 * An alert in the compact list ({@code GET /api/v1/alerts?view=summary}): what a list of alerts shows and pages by,
 * without the measurements, windows, evidence and triage details of {@link StoredAlert} (same names, same meaning),
 * which the alert's own page ({@code GET /api/v1/alerts/{id}}) carries.
 */
public record AlertSummary(
        String id,
        AlertRule rule,
        Severity severity,
        String keyId,
        AlertStatus status,
        @JsonInclude(JsonInclude.Include.ALWAYS) String resolution,
        int occurrences,
        Instant detectedAt,
        Instant lastSeen,
        boolean silenced,
        String autoRevocation,
        String summary) {
}
