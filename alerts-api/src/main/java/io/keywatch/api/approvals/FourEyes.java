package io.keywatch.api.approvals;

import io.keywatch.api.auth.Actor;
import io.keywatch.api.db.LoggedFailure;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStatePublishException;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.silences.RuleWideSilenceApprovals;
import io.keywatch.api.silences.Silence;
import io.keywatch.api.silences.SilenceStore;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four eyes: reinstating a revoked key and creating a rule-wide silence wait for a second identity's approval. The
 * requester can neither approve nor (for a reinstatement) be the identity that revoked the key; the approver cannot
 * be the identity that revoked the key either. Identities are the authenticated principals' ({@link Actor#identity()}),
 * never a note the request adds, so one credential can never play both parts.
 */
public final class FourEyes implements RuleWideSilenceApprovals {

    private static final Logger LOG = LoggerFactory.getLogger(FourEyes.class);

    private final FourEyesSettings settings;
    private final ApprovalStore store;
    private final KeyStore keys;
    private final KeyRevoker revoker;
    private final SilenceStore silences;
    private final ApprovalAudit audit;
    private final Clock clock;

    public FourEyes(FourEyesSettings settings, ApprovalStore store, KeyStore keys, KeyRevoker revoker,
                    SilenceStore silences, ApprovalAudit audit, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = store;
        this.keys = keys;
        this.revoker = revoker;
        this.silences = silences;
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = clock;
    }

    @Override
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Asks for the key's reinstatement. Empty when keywatch has no row for the key.
     *
     * @throws StateConflictException when the key is not revoked, or a reinstatement of it is already pending
     * @throws FourEyesViolation      when {@code actor} revoked the key
     */
    public Optional<ApprovalRequest> requestReinstatement(String keyId, String reason, Actor actor) {
        Optional<KeyRecord> key = keys.find(keyId);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (!key.get().isRevoked()) {
            throw new StateConflictException("cannot reinstate key '" + keyId + "': it is " + key.get().status());
        }
        refuseRevoker(key.get(), actor, "ask for its reinstatement");
        Instant now = now();
        ApprovalRequest request = pending(ApprovalAction.REINSTATE_KEY, keyId, null, null, reason, actor, now);
        return Optional.of(store.inTransaction(handle -> {
            ApprovalRequests requests = store.on(handle);
            requests.sweepExpired(now);
            if (!requests.insert(request)) {
                String waiting = requests.pendingReinstatement(keyId, now).map(ApprovalRequest::id)
                        .orElse("(just decided)");
                throw new StateConflictException("a request to reinstate key '" + keyId + "' is already pending: "
                        + waiting);
            }
            audit.requested(handle, request, actor);
            return request;
        }));
    }

    /** Asks for a silence of a whole rule; the caller has validated the rule, the expiry and the comment. */
    @Override
    public ApprovalRequest requestRuleWideSilence(String rule, Instant expiresAt, String comment, Actor actor) {
        Instant now = now();
        ApprovalRequest request = pending(ApprovalAction.RULE_WIDE_SILENCE, null, rule,
                expiresAt.truncatedTo(ChronoUnit.MICROS), comment, actor, now);
        return store.inTransaction(handle -> {
            ApprovalRequests requests = store.on(handle);
            requests.sweepExpired(now);
            requests.insert(request);
            audit.requested(handle, request, actor);
            return request;
        });
    }

    /**
     * Approves the pending request and carries the change out; empty when there is no such request.
     *
     * @throws StateConflictException when the request is no longer pending (decided or expired)
     * @throws FourEyesViolation      when {@code actor} asked for it, or revoked the key it would reinstate
     */
    public Optional<ApprovalRequest> approve(String id, String note, Actor actor) {
        Instant now = now();
        Optional<ApprovalRequest> approved = store.inTransaction(handle -> {
            ApprovalRequests requests = store.on(handle);
            Optional<ApprovalRequest> found = requests.lock(id, now);
            if (found.isEmpty()) {
                return found;
            }
            ApprovalRequest request = requirePending(found.get());
            if (request.requestedBy().equals(actor.identity())) {
                throw new FourEyesViolation(actor.identity() + " asked for this change, so another identity must "
                        + "approve it");
            }
            if (request.kind() == ApprovalAction.REINSTATE_KEY) {
                Optional<KeyRecord> key = keys.on(handle).find(request.keyId(), false);
                if (key.isPresent() && key.get().isRevoked()) {
                    refuseRevoker(key.get(), actor, "approve its reinstatement");
                }
            }
            ApprovalRequest decided = requests.decide(id, ApprovalStatus.APPROVED, actor.identity(),
                    note, now);
            audit.decided(handle, decided, actor);
            return Optional.of(decided);
        });
        return approved.map(request -> carryOut(request, actor));
    }

    /**
     * Denies the pending request (its requester may withdraw it this way); empty when there is no such request.
     *
     * @throws StateConflictException when the request is no longer pending
     */
    public Optional<ApprovalRequest> deny(String id, String note, Actor actor) {
        Instant now = now();
        return store.inTransaction(handle -> {
            ApprovalRequests requests = store.on(handle);
            Optional<ApprovalRequest> found = requests.lock(id, now);
            if (found.isEmpty()) {
                return found;
            }
            requirePending(found.get());
            ApprovalRequest decided = requests.decide(id, ApprovalStatus.DENIED, actor.identity(),
                    note, now);
            audit.decided(handle, decided, actor);
            return Optional.of(decided);
        });
    }

    /**
     * Makes the approved change, attributed to the requester and recorded in the audit trail as carried out by the
     * approver; a change no longer possible leaves the request FAILED with the reason.
     */
    private ApprovalRequest carryOut(ApprovalRequest request, Actor approver) {
        Instant now = now();
        try {
            return switch (request.kind()) {
                case REINSTATE_KEY -> reinstate(request, now, approver);
                case RULE_WIDE_SILENCE -> silence(request, now, approver);
            };
        } catch (StateConflictException e) {
            return store.recordOutcome(request.id(), false, e.getMessage(), now);
        } catch (RuntimeException e) {
            LOG.error("Approved request {} ({}) could not be carried out", request.id(), request.action(), LoggedFailure.of(e));
            store.recordOutcome(request.id(), false, "could not be carried out: internal error, see the server log",
                    now);
            throw e;
        }
    }

    private ApprovalRequest reinstate(ApprovalRequest request, Instant now, Actor approver) {
        String outcome;
        try {
            // attributed to the requester; the request records who approved
            Optional<KeyRecord> key = revoker.reinstate(request.keyId(), request.reason(), request.requestedBy(),
                    approver);
            if (key.isEmpty()) {
                return store.recordOutcome(request.id(), false, "keywatch has no row for the key any more", now);
            }
            outcome = "key reinstated";
        } catch (KeyStatePublishException e) {
            // stored: the periodic re-publisher announces it; approving again is not needed (nor possible)
            outcome = "key reinstated; its new state is stored and will be published to Kafka on retry";
        }
        return store.recordOutcome(request.id(), true, outcome, now);
    }

    private ApprovalRequest silence(ApprovalRequest request, Instant now, Actor approver) {
        if (!request.silenceExpiresAt().isAfter(now)) {
            return store.recordOutcome(request.id(), false, "the silence would have ended at "
                    + request.silenceExpiresAt() + ", before it was approved", now);
        }
        Silence silence = silences.create(null, request.rule(), request.silenceExpiresAt(), request.reason(),
                request.requestedBy(), approver);
        return store.recordOutcome(request.id(), true, "silence " + silence.id() + " created", now);
    }

    private static ApprovalRequest requirePending(ApprovalRequest request) {
        if (request.status() != ApprovalStatus.PENDING) {
            throw new StateConflictException("approval request " + request.id() + " is "
                    + request.status().name().toLowerCase(java.util.Locale.ROOT) + ", no longer pending");
        }
        return request;
    }

    /** The identity that revoked a key by hand must not be the one that brings it back. */
    private static void refuseRevoker(KeyRecord key, Actor actor, String what) {
        if (actor.identity().equals(key.changedBy())) {
            throw new FourEyesViolation(actor.identity() + " revoked key '" + key.keyId() + "', so it may not "
                    + what + "; another identity must");
        }
    }

    private ApprovalRequest pending(ApprovalAction action, String keyId, String rule, Instant silenceExpiresAt,
                                    String reason, Actor actor, Instant now) {
        return new ApprovalRequest(UUID.randomUUID().toString(), action.code(), keyId, rule, silenceExpiresAt, reason,
                actor.identity(), actor.role().label(), actor.onBehalfOf(), now, now.plus(settings.pendingFor()),
                ApprovalStatus.PENDING, null, null, null, null);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
