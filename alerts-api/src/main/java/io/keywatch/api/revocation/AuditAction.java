package io.keywatch.api.revocation;

import io.keywatch.events.EnumNames;

/** What an audit log entry records. */
public enum AuditAction {
    /** The policy revoked the key. */
    REVOKED,
    /** Dry-run: the policy would have revoked the key. */
    DRY_RUN,
    /** The blast-radius guard held the revocation back; a person must decide. */
    PENDING_APPROVAL,
    /** The key is registered with autoRevoke=false; a person must decide (or, in dry-run, nobody). */
    SKIPPED_PROTECTED,
    /** A silence covered the alert. */
    SKIPPED_SILENCED,
    /** The key is a canary (decoy): automatic revocation would tell the attacker it was noticed. */
    SKIPPED_CANARY,
    /** A person approved a pending decision: the key is revoked. */
    APPROVED,
    /** A person denied a pending decision. */
    DENIED,
    /** A person made a revoked key active again. */
    REINSTATED,
    /** A person revoked the key by hand. */
    MANUAL_REVOKE;

    public static AuditAction parse(String text) {
        return EnumNames.parse(AuditAction.class, "action", text);
    }
}
