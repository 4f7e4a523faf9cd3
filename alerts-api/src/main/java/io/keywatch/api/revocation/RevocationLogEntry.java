package io.keywatch.api.revocation;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the revocation decisions' log ({@code GET /api/v1/audit}): what the policy decided (dry runs, skips
 * and pending ones included) and what people did to a key's revocation. Every change is also in the audit trail
 * ({@link io.keywatch.api.audit.AuditTrail}).
 *
 * @param action     REVOKED, DRY_RUN, PENDING_APPROVAL, SKIPPED_PROTECTED, SKIPPED_SILENCED, APPROVED, DENIED,
 *                   REINSTATED or MANUAL_REVOKE
 * @param actor      {@code policy:<RULE>} for the policy, otherwise the authenticated identity
 * @param onBehalfOf the caller's note of whom it acted for ({@code X-Keywatch-Actor}); null without one
 * @param decisionId the decision the entry belongs to; null for manual revocations and reinstatements
 * @param alertIds   the alerts behind the entry (alert group ids)
 */
public record RevocationLogEntry(long id, Instant at, String keyId, String action, String actor, String onBehalfOf,
                                 String decisionId, List<String> alertIds, String reason) {

    public RevocationLogEntry {
        alertIds = alertIds == null ? List.of() : List.copyOf(alertIds);
    }
}
