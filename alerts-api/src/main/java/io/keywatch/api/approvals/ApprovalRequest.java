package io.keywatch.api.approvals;

import io.keywatch.api.silences.PendingSilenceApproval;
import java.time.Instant;

/**
 * A change waiting for (or given) a second identity's approval.
 *
 * @param keyId            the key to reinstate; null for a rule-wide silence
 * @param rule             the rule a rule-wide silence covers; null for a reinstatement
 * @param silenceExpiresAt when the silence would end; null for a reinstatement
 * @param reason           the reinstatement's reason or the silence's comment
 * @param requestedBy      the authenticated identity that asked
 * @param onBehalfOf       the note the requester added beside its identity, or null
 * @param expiresAt        when a pending request lapses
 * @param outcome          after approval: what was done (the silence id) or why it could not be done
 */
public record ApprovalRequest(
        String id,
        String action,
        String keyId,
        String rule,
        Instant silenceExpiresAt,
        String reason,
        String requestedBy,
        String requestedRole,
        String onBehalfOf,
        Instant requestedAt,
        Instant expiresAt,
        ApprovalStatus status,
        String decidedBy,
        Instant decidedAt,
        String decisionNote,
        String outcome) implements PendingSilenceApproval {

    public ApprovalAction kind() {
        return ApprovalAction.fromCode(action);
    }
}
