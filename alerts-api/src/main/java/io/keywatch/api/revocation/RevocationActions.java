package io.keywatch.api.revocation;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.Revocation;
import io.keywatch.api.webhooks.WebhookOutbox;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A person's answer to a decision waiting for approval. Approving revokes the key (and writes the audit entry and
 * the {@code key.revoked} event) in one transaction, then announces it on Kafka; denying leaves the key active.
 * Locks the key's row before the decision's, the same order as automatic decisions, so the two never deadlock.
 */
public final class RevocationActions {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationActions.class);

    private final KeyStore keys;
    private final RevocationStore store;
    private final WebhookOutbox outbox;
    private final KeyRevoker revoker;
    private final Clock clock;

    public RevocationActions(KeyStore keys, RevocationStore store, WebhookOutbox outbox, KeyRevoker revoker,
                             Clock clock) {
        this.keys = keys;
        this.store = store;
        this.outbox = outbox;
        this.revoker = revoker;
        this.clock = clock;
    }

    /** Empty for an unknown decision; throws {@link StateConflictException} unless it is PENDING_APPROVAL. */
    public Optional<RevocationDecision> approve(String decisionId, String actor, String note) {
        return answer(decisionId, actor, note, true, AuditActor.keywatch(actor));
    }

    public Optional<RevocationDecision> deny(String decisionId, String actor, String note) {
        return answer(decisionId, actor, note, false, AuditActor.keywatch(actor));
    }

    /** Approves; recorded in the audit trail ({@code revocation.approved}, {@code key.revoked}) as {@code by}. */
    public Optional<RevocationDecision> approve(String decisionId, String actor, String note, Actor by) {
        return answer(decisionId, actor, note, true, by);
    }

    /** Denies, recorded in the audit trail ({@code revocation.denied}) as made by {@code by}. */
    public Optional<RevocationDecision> deny(String decisionId, String actor, String note, Actor by) {
        return answer(decisionId, actor, note, false, by);
    }

    private Optional<RevocationDecision> answer(String decisionId, String actor, String note, boolean approve,
                                                Actor by) {
        String onBehalfOf = by.onBehalfOf();
        Optional<RevocationDecision> found = store.find(decisionId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RevocationDecision before = found.get();
        List<String> alertIds = before.alerts().stream().map(RevocationDecision.DecisionAlert::alertId).distinct()
                .toList();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        KeyRecord revoked = keys.inTransaction(handle -> {
            // the key's lock first, as automatic decisions take it
            KeyRecord keyBefore = keys.on(handle).find(before.keyId(), true).orElse(null);
            Revocations revocations = store.on(handle);
            RevocationDecision decision = revocations.lockDecision(decisionId).orElseThrow();
            if (decision.status() != DecisionStatus.PENDING_APPROVAL) {
                throw new StateConflictException("cannot " + (approve ? "approve" : "deny") + " decision '"
                        + decisionId + "': it is " + decision.status());
            }
            String suffix = note == null ? "" : " (" + note + ")";
            if (!approve) {
                revocations.settle(decisionId, DecisionStatus.DENIED, actor, onBehalfOf, note, now);
                revocations.audit(now, decision.keyId(), AuditAction.DENIED, actor, onBehalfOf,
                        decisionId, alertIds,
                        "denied: " + decision.reason() + suffix);
                new AuditTrail(handle).record(AuditEntry.of(by, now, "revocation.denied", "revocation", decisionId,
                        decision, revocations.lockDecision(decisionId).orElseThrow()));
                return null;
            }
            Revocation revocation = keys.on(handle).revoke(decision.keyId(),
                    "approved by " + actor + ": " + decision.reason() + suffix, actor, onBehalfOf, now);
            revocations.settle(decisionId, DecisionStatus.APPROVED, actor, onBehalfOf, note, now);
            revocations.audit(now, decision.keyId(), AuditAction.APPROVED, actor, onBehalfOf,
                    decisionId, alertIds,
                    (revocation.changed() ? "approved: " : "approved (the key was revoked already): ")
                            + decision.reason() + suffix);
            if (revocation.changed()) {
                outbox.on(handle).keyStateChanged(revocation.key());
            }
            new AuditTrail(handle).record(AuditEntry.of(by, now, "revocation.approved", "revocation", decisionId,
                    decision, revocations.lockDecision(decisionId).orElseThrow()));
            if (revocation.changed()) {
                new AuditTrail(handle).record(AuditEntry.of(by, now, "key.revoked", "key", decision.keyId(), keyBefore,
                        revocation.key()));
            }
            return revocation.key();
        });
        LOG.info("{} revocation decision {} for key {} by {}", approve ? "Approved" : "Denied", decisionId,
                before.keyId(), actor);
        if (revoked != null) {
            revoker.announce(revoked);
        }
        return store.find(decisionId);
    }
}
