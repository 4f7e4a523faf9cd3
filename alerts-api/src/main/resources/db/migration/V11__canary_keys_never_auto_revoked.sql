-- #15 part 4: canary (decoy) keys are never revoked automatically; the decision and its audit entry say so.
ALTER TABLE revocation_decisions DROP CONSTRAINT revocation_decisions_status_check;
ALTER TABLE revocation_decisions ADD CONSTRAINT revocation_decisions_status_check CHECK (status IN
    ('REVOKED', 'DRY_RUN', 'PENDING_APPROVAL', 'SKIPPED_PROTECTED', 'SKIPPED_SILENCED', 'SKIPPED_CANARY', 'APPROVED',
     'DENIED'));

ALTER TABLE revocation_audit DROP CONSTRAINT revocation_audit_action_check;
ALTER TABLE revocation_audit ADD CONSTRAINT revocation_audit_action_check CHECK (action IN ('REVOKED', 'DRY_RUN',
    'PENDING_APPROVAL', 'SKIPPED_PROTECTED', 'SKIPPED_SILENCED', 'SKIPPED_CANARY', 'APPROVED', 'DENIED', 'REINSTATED',
    'MANUAL_REVOKE'));
