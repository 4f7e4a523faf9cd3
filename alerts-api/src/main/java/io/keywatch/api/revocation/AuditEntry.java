package io.keywatch.api.revocation;

import java.time.Instant;
import java.util.List;

/**
 * One entry of the revocation audit log.
 *
 * @param action     REVOKED, DRY_RUN, PENDING_APPROVAL, SKIPPED_PROTECTED, SKIPPED_SILENCED, APPROVED, DENIED,
 *                   REINSTATED or MANUAL_REVOKE
 * @param actor      {@code policy:<RULE>} for the policy, otherwise the authenticated identity
 * @param onBehalfOf the caller's note of whom it acted for ({@code X-Keywatch-Actor}); null without one
 * @param decisionId the decision the entry belongs to; null for manual revocations and reinstatements
 * @param alertIds   the alerts behind the entry (alert group ids)
 */
public record AuditEntry(long id, Instant at, String keyId, String action, String actor, String onBehalfOf,
                         String decisionId,
                         List<String> alertIds, String reason) {

    public AuditEntry {
        alertIds = alertIds == null ? List.of() : List.copyOf(alertIds);
    }
}
