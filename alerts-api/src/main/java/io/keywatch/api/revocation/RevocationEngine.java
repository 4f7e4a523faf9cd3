package io.keywatch.api.revocation;

import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.IntakeOutcome;
import io.keywatch.api.alerts.StoredAlertsListener;
import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyRows;
import io.keywatch.api.keys.Revocation;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.api.webhooks.WebhookOutbox;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic revocation, decided for a batch of stored alerts in ONE transaction that first locks the guard row:
 * the policy's rules pick the alerts; a silence, a protected key (autoRevoke=false), dry-run mode or the blast-radius
 * guard hold the revocation back; every decision is recorded (decision, audit entry, marker on the alert) and its
 * webhook event (key.revoked, revocation.pending) goes into the outbox in that same transaction. Kafka hears of the
 * revocations after the commit.
 *
 * <p>The guard: at most {@code maxPerWindow} automatic revocations per sliding window, counted in PostgreSQL while
 * holding the guard row's lock, so the limit holds across concurrent batches and several API instances. Past it,
 * decisions wait for a person (PENDING_APPROVAL) and one REVOCATION_GUARD_TRIPPED alert per window says so: a
 * detector bug cannot revoke every key.
 *
 * <p>Idempotent: an occurrence is decided once (a replayed batch changes nothing), and a key already revoked needs no
 * decision.
 */
public final class RevocationEngine implements StoredAlertsListener {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationEngine.class);
    /** The key id of the guard's own alerts. */
    public static final String GUARD_KEY_ID = "keywatch";
    public static final String PENDING_PROTECTED = "PROTECTED";
    public static final String PENDING_GUARD = "GUARD";
    static final String PROTECTED_NOTE = "automatic revocation skipped: key protected (autoRevoke=false)";
    static final String CANARY_NOTE = "automatic revocation skipped: the key is a canary (decoy), and revoking it "
            + "would tell the attacker it was noticed; revoke it by hand if you must";

    private final Jdbi jdbi;
    private final RevocationPolicy policy;
    private final RevocationSettings settings;
    private final AlertStore alerts;
    private final WebhookOutbox outbox;
    private final KeyRevoker revoker;
    private final Clock clock;
    private DecisionListener listener = DecisionListener.NONE;

    public RevocationEngine(Jdbi jdbi, RevocationPolicy policy, RevocationSettings settings, AlertStore alerts,
                            WebhookOutbox outbox, KeyRevoker revoker, Clock clock) {
        this.jdbi = jdbi;
        this.policy = policy;
        this.settings = settings;
        this.alerts = alerts;
        this.outbox = outbox;
        this.revoker = revoker;
        this.clock = clock;
    }

    /** Who hears of each decision once committed (the metrics); before the engine is used. */
    public RevocationEngine withListener(DecisionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** What the engine did with a batch, for logs and tests. */
    public record Summary(int revoked, int pending, int dryRun, int skipped) {
    }

    /** The intake's hook: {@link #decide} about each committed batch. */
    @Override
    public void stored(List<IntakeOutcome> outcomes) {
        decide(outcomes);
    }

    /** Decides about every stored occurrence the policy applies to, then announces the revoked keys on Kafka. */
    public Summary decide(List<IntakeOutcome> outcomes) {
        List<IntakeOutcome> candidates = outcomes.stream().filter(o -> policy.appliesTo(o.occurrence())).toList();
        if (candidates.isEmpty()) {
            return new Summary(0, 0, 0, 0);
        }
        Set<String> keyIds = new LinkedHashSet<>();
        candidates.forEach(o -> keyIds.add(o.occurrence().keyId()));
        List<Decided> committed = new ArrayList<>();
        Summary summary = jdbi.inTransaction(handle -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Revocations revocations = new Revocations(handle);
            Guard guard = new Guard(handle, revocations, now);
            DecisionBatch batch = new DecisionBatch(handle, revocations, candidates);
            Counts counts = new Counts();
            for (IntakeOutcome outcome : candidates) {
                decideOne(handle, batch, outcome, guard, now, counts);
            }
            batch.flush(handle, revocations, alerts.on(handle), now, outbox);
            // last: the trail's lock is taken after every key's, never before one (AuditTrail)
            for (AuditEntry entry : counts.trail) {
                new AuditTrail(handle).record(entry);
            }
            committed.clear(); // a retried transaction's earlier attempt decided nothing
            committed.addAll(counts.decided);
            return new Summary(counts.revoked, counts.pending, counts.dryRun, counts.skipped);
        });
        // only once committed: a rolled-back decision was never made
        for (Decided decided : committed) {
            listener.decided(decided.status(), decided.pendingReason());
        }
        if (summary.revoked() > 0 || summary.pending() > 0) {
            LOG.info("Automatic revocation: {} revoked, {} waiting for approval, {} dry-run, {} skipped",
                    summary.revoked(), summary.pending(), summary.dryRun(), summary.skipped());
        }
        // after the commit: the rest of keywatch must never hear of a revocation the registry lacks
        revoker.announceIfPending(keyIds);
        return summary;
    }

    private record Decided(DecisionStatus status, String pendingReason) {
    }

    private static final class Counts {
        final List<Decided> decided = new ArrayList<>();
        int revoked;
        int pending;
        int dryRun;
        int skipped;
        final List<AuditEntry> trail = new ArrayList<>();
    }

    private void decideOne(Handle handle, DecisionBatch batch, IntakeOutcome outcome, Guard guard, Instant now,
                           Counts counts) {
        Alert alert = outcome.occurrence();
        if (batch.decided(alert.id())) {
            return; // a replay: decided before
        }
        Optional<KeyRecord> key = batch.key(alert.keyId());
        if (batch.revoked(alert.keyId())) {
            return; // nothing left to decide
        }
        KeyMetadata metadata = key.map(KeyRecord::metadata).orElse(null);
        String actor = RevocationPolicy.actorFor(alert);
        String what = " (occurrence " + alert.id() + ", " + alert.severity() + ")";

        if (metadata != null && metadata.canaryKey()) {
            // before silences, dry-run and the guard: whatever they say, a canary is never revoked automatically
            decision(batch, counts, outcome, DecisionStatus.SKIPPED_CANARY, null, AuditAction.SKIPPED_CANARY, now,
                    CANARY_NOTE + what);
            counts.skipped++;
            return;
        }
        if (outcome.silenced()) {
            decision(batch, counts, outcome, DecisionStatus.SKIPPED_SILENCED, null, AuditAction.SKIPPED_SILENCED, now,
                    "automatic revocation skipped: alert silenced by silence " + outcome.silenceId() + what);
            counts.skipped++;
            return;
        }
        Optional<DecisionBatch.Pending> pending = batch.pending(alert.keyId());
        if (pending.isPresent()) {
            // one decision per key waits for a person; later alerts join it
            batch.attach(pending.get().id(), outcome);
            boolean isProtected = PENDING_PROTECTED.equals(pending.get().pendingReason());
            batch.mark(new AlertStore.AutoRevocationMark(outcome.alertId(), alert.id(),
                    isProtected ? "SKIPPED_PROTECTED" : "PENDING_APPROVAL", actor,
                    (isProtected ? PROTECTED_NOTE : "automatic revocation waits for approval")
                            + ": joins pending decision " + pending.get().id() + what));
            counts.pending++;
            return;
        }
        if (metadata != null && !metadata.autoRevokeAllowed()) {
            if (settings.dryRun()) {
                decision(batch, counts, outcome, DecisionStatus.SKIPPED_PROTECTED, null, AuditAction.SKIPPED_PROTECTED, now,
                        PROTECTED_NOTE + what);
                counts.skipped++;
                return;
            }
            LOG.info("Not revoking key {} for {} alert {}: the key is registered with autoRevoke=false; "
                    + "waiting for a person", alert.keyId(), alert.severity(), alert.id());
            String id = decision(batch, counts, outcome, DecisionStatus.PENDING_APPROVAL, PENDING_PROTECTED,
                    AuditAction.SKIPPED_PROTECTED, now, PROTECTED_NOTE + "; waiting for approval" + what);
            batch.webhook(new WebhookOutbox.Entry(outbox.revocationPendingEvent(alert,
                    "the key is registered with autoRevoke=false", id, metadata), metadata));
            counts.pending++;
            return;
        }
        if (settings.dryRun()) {
            decision(batch, counts, outcome, DecisionStatus.DRY_RUN, null, AuditAction.DRY_RUN, now,
                    "dry run: key " + alert.keyId() + " would have been revoked" + what);
            counts.dryRun++;
            return;
        }
        if (guard.full()) {
            String id = decision(batch, counts, outcome, DecisionStatus.PENDING_APPROVAL, PENDING_GUARD,
                    AuditAction.PENDING_APPROVAL, now, "blast-radius guard: " + guard.count + " automatic "
                            + "revocations in the last " + settings.window().toMinutes() + " min (at most "
                            + settings.maxPerWindow() + "); waiting for approval" + what);
            batch.webhook(new WebhookOutbox.Entry(outbox.revocationPendingEvent(alert,
                    "the blast-radius guard held the automatic revocation back (" + settings.maxPerWindow() + " per "
                            + settings.window().toMinutes() + " min)", id, metadata), metadata));
            guard.trip(alert);
            counts.pending++;
            return;
        }
        Revocation revocation = new KeyRows(handle).revoke(alert.keyId(), RevocationPolicy.reasonFor(alert), actor, now);
        batch.keyRevoked(alert.keyId());
        decision(batch, counts, outcome, DecisionStatus.REVOKED, null, AuditAction.REVOKED, now,
                "key " + alert.keyId() + " revoked automatically" + what);
        outbox.on(handle).keyStateChanged(revocation.key());
        counts.trail.add(AuditEntry.of(AuditActor.keywatch(actor), now, "key.revoked", "key", alert.keyId(),
                key.orElse(null), revocation.key()));
        guard.revoked();
        counts.revoked++;
        LOG.info("Revoked key {} automatically for {} alert {}", alert.keyId(), alert.severity(), alert.id());
    }

    /** A new decision about one occurrence: the decision row, the audit entry, the marker on the alert. */
    private String decision(DecisionBatch batch, Counts counts, IntakeOutcome outcome, DecisionStatus status,
                            String pendingReason, AuditAction action, Instant now, String note) {
        counts.decided.add(new Decided(status, pendingReason));
        Alert alert = outcome.occurrence();
        String id = "rd_" + UUID.randomUUID().toString().replace("-", "");
        String actor = RevocationPolicy.actorFor(alert);
        batch.decision(new RevocationStore.NewDecision(id, alert.keyId(), status, pendingReason, alert.rule().name(),
                alert.severity().name(), outcome.alertId(), RevocationPolicy.reasonFor(alert), actor), outcome);
        batch.audit(new RevocationStore.AuditRow(alert.keyId(), action, actor, id, List.of(outcome.alertId()), note));
        String marker = switch (status) {
            case PENDING_APPROVAL -> PENDING_PROTECTED.equals(pendingReason) ? "SKIPPED_PROTECTED" : "PENDING_APPROVAL";
            default -> status.name();
        };
        batch.mark(new AlertStore.AutoRevocationMark(outcome.alertId(), alert.id(), marker, actor, note));
        return id;
    }

    /** The blast-radius guard within one locked transaction. */
    private final class Guard {
        private final Handle handle;
        private final Revocations revocations;
        private final Instant now;
        private Instant trippedAt;
        int count = -1;

        /** Takes the guard row's lock: first, before any key's. */
        Guard(Handle handle, Revocations revocations, Instant now) {
            this.handle = handle;
            this.revocations = revocations;
            this.trippedAt = revocations.lockGuard().orElse(null);
            this.now = now;
        }

        boolean full() {
            if (count < 0) {
                count = revocations.automaticRevocationsSince(now.minus(settings.window()));
            }
            return count >= settings.maxPerWindow();
        }

        void revoked() {
            full();
            count++;
        }

        /** Raises the guard's alert, at most once per window. */
        void trip(Alert heldBack) {
            Duration window = settings.window();
            if (trippedAt != null && trippedAt.isAfter(now.minus(window))) {
                return;
            }
            Map<String, Object> evidence = new LinkedHashMap<>();
            evidence.put("maxPerWindow", settings.maxPerWindow());
            evidence.put("windowMinutes", window.toMinutes());
            evidence.put("revocationsInWindow", count);
            evidence.put("firstHeldBackKeyId", heldBack.keyId());
            evidence.put("firstHeldBackAlertId", heldBack.id());
            Alert alert = new Alert(Alert.idFor(AlertRule.REVOCATION_GUARD_TRIPPED, GUARD_KEY_ID, now),
                    AlertRule.REVOCATION_GUARD_TRIPPED, Severity.CRITICAL, GUARD_KEY_ID, now.minus(window), now, now,
                    now, count, settings.maxPerWindow(), null,
                    "blast-radius guard tripped: " + count + " automatic revocations in the last "
                            + window.toMinutes() + " min; further automatic revocations wait for approval "
                            + "(GET /api/v1/revocations?status=PENDING_APPROVAL)", evidence);
            alerts.intake(handle, List.of(alert));
            revocations.tripped(now);
            trippedAt = now;
            LOG.warn("Blast-radius guard tripped: {} automatic revocations in {} min; key {} and any further "
                    + "automatic revocation wait for approval", count, window.toMinutes(), heldBack.keyId());
        }
    }
}
