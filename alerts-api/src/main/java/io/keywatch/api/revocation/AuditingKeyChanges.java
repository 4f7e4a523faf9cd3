package io.keywatch.api.revocation;

import io.keywatch.api.keys.KeyChangeListener;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.webhooks.WebhookOutbox;
import java.util.List;

/**
 * What follows from a revocation or a reinstatement made through {@link io.keywatch.api.keys.KeyRevoker}, in the
 * same transaction: an audit log entry (MANUAL_REVOKE for a person, REVOKED for the policy, REINSTATED) and the
 * {@code key.revoked} / {@code key.reinstated} webhook event in the outbox.
 */
public final class AuditingKeyChanges implements KeyChangeListener {

    private final WebhookOutbox outbox;

    public AuditingKeyChanges(WebhookOutbox outbox) {
        this.outbox = outbox;
    }

    @Override
    public void revoked(org.jdbi.v3.core.Handle handle, KeyRecord key, String actor) {
        AuditAction action = actor.startsWith("policy:") ? AuditAction.REVOKED : AuditAction.MANUAL_REVOKE;
        new Revocations(handle).audit(key.changedAt(), key.keyId(), action, actor, key.changedOnBehalfOf(), null,
                List.of(), key.reason());
        outbox.on(handle).keyStateChanged(key);
    }

    @Override
    public void reinstated(org.jdbi.v3.core.Handle handle, KeyRecord key, String actor) {
        new Revocations(handle).audit(key.changedAt(), key.keyId(), AuditAction.REINSTATED, actor,
                key.changedOnBehalfOf(), null, List.of(), key.reason());
        outbox.on(handle).keyStateChanged(key);
    }
}
