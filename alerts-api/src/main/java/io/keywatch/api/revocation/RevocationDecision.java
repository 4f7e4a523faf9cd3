package io.keywatch.api.revocation;

import java.time.Instant;
import java.util.List;

/**
 * What the revocation policy decided about a key, and what a person decided after.
 *
 * @param pendingReason PROTECTED (autoRevoke=false) or GUARD (the blast-radius guard); null when nobody was asked
 * @param rule          the rule of the alert that caused the decision
 * @param alertId       the alert (group) that caused the decision
 * @param alerts        every alert occurrence the decision covers, oldest first
 * @param decidedBy     the policy ({@code policy:<RULE>}) or the identity that approved or denied
 * @param decidedOnBehalfOf that identity's note of whom it acted for ({@code X-Keywatch-Actor}); null without one
 */
public record RevocationDecision(String id, String keyId, DecisionStatus status, String pendingReason, String rule,
                                 String severity, String alertId, List<DecisionAlert> alerts, String reason,
                                 Instant createdAt, String decidedBy, Instant decidedAt, String note,
                                 String decidedOnBehalfOf) {

    /** An occurrence behind a decision and the alert it belongs to. */
    public record DecisionAlert(String alertId, String occurrenceId, Instant addedAt) {
    }

    public RevocationDecision {
        alerts = alerts == null ? List.of() : List.copyOf(alerts);
    }

    RevocationDecision withAlerts(List<DecisionAlert> list) {
        return new RevocationDecision(id, keyId, status, pendingReason, rule, severity, alertId, list, reason,
                createdAt, decidedBy, decidedAt, note, decidedOnBehalfOf);
    }
}
