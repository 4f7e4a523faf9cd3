package io.keywatch.api.alerts;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;

/**
 * An alert as the API stores and serves it: all occurrences of one rule for one key until it is resolved, with its
 * triage status.
 *
 * @param id             the id of the group's first occurrence
 * @param fingerprint    {@code RULE:keyId}; at most one unresolved alert per fingerprint
 * @param severity       the highest severity of any occurrence
 * @param resolution     how it was resolved ({@link Resolution}), null while unresolved
 * @param occurrences    how many distinct occurrences (topology alert ids) were folded in
 * @param firstSeen      detection time of the first occurrence (same as {@code detectedAt}, the list order)
 * @param lastSeen       detection time of the latest occurrence
 * @param silenced       whether the latest occurrence (or the open alert, when the silence was created) was covered
 *                       by a silence
 * @param autoRevocation what automatic revocation did: REVOKED, SKIPPED_PROTECTED, SKIPPED_SILENCED; null when
 *                       the policy did not apply
 * @param windowStart    the first occurrence's window start; {@code windowEnd} the latest window end
 * @param observed       the latest occurrence's measurements, like threshold, baseline, summary and evidence
 * @param evidence       the latest occurrence's evidence, a JSON object passed through as stored
 */
public record StoredAlert(
        String id,
        String fingerprint,
        AlertRule rule,
        Severity severity,
        String keyId,
        AlertStatus status,
        @JsonInclude(JsonInclude.Include.ALWAYS) String resolution,
        int occurrences,
        Instant firstSeen,
        Instant lastSeen,
        boolean silenced,
        String silenceId,
        String autoRevocation,
        Instant windowStart,
        Instant windowEnd,
        Instant triggeredAt,
        Instant detectedAt,
        double observed,
        double threshold,
        Double baseline,
        String summary,
        StoredEvidence evidence,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant resolvedAt,
        String resolvedBy,
        Instant storedAt,
        Instant updatedAt) {
}
