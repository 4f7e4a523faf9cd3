package io.keywatch.api.revocation;

import io.keywatch.events.EnumNames;

/** Where a revocation decision stands. */
public enum DecisionStatus {
    REVOKED,
    DRY_RUN,
    /** Waits for a person: approve revokes the key, deny leaves it active. */
    PENDING_APPROVAL,
    /** Dry-run only: the key is protected, so it would have waited for a person. */
    SKIPPED_PROTECTED,
    SKIPPED_SILENCED,
    /** The key is a canary (decoy): never revoked automatically, which would tell the attacker. */
    SKIPPED_CANARY,
    APPROVED,
    DENIED;

    public static DecisionStatus parse(String text) {
        return EnumNames.parse(DecisionStatus.class, "status", text);
    }
}
