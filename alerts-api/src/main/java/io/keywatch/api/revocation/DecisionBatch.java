package io.keywatch.api.revocation;

import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.Alerts;
import io.keywatch.api.alerts.IntakeOutcome;
import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyRows;
import io.keywatch.api.webhooks.WebhookOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * What the revocation engine reads and writes for one batch, set-based: three reads up front (the occurrences
 * decided before, the candidates' keys, locked in key id order, and their pending decisions), kept current in memory
 * as the batch decides (a key revoked or a decision opened by an earlier candidate is seen by the later ones, as when
 * each read the database), and the decisions' rows written at the end, one JDBC batch per table, in order.
 */
final class DecisionBatch {

    /** A decision waiting for a person. */
    record Pending(String id, String pendingReason) {
    }

    private final Set<String> decided;
    private final Map<String, KeyRecord> keys;
    private final Map<String, Pending> pending = new HashMap<>();
    private final Set<String> revokedNow = new HashSet<>();

    private final List<RevocationStore.NewDecision> decisions = new ArrayList<>();
    private final List<RevocationStore.Attachment> attachments = new ArrayList<>();
    private final List<RevocationStore.AuditRow> audit = new ArrayList<>();
    private final List<AlertStore.AutoRevocationMark> marks = new ArrayList<>();
    private final List<WebhookOutbox.Entry> webhooks = new ArrayList<>();

    DecisionBatch(Handle handle, Revocations revocations, List<IntakeOutcome> candidates) {
        Set<String> occurrenceIds = new LinkedHashSet<>();
        Set<String> keyIds = new LinkedHashSet<>();
        for (IntakeOutcome outcome : candidates) {
            occurrenceIds.add(outcome.occurrence().id());
            keyIds.add(outcome.occurrence().keyId());
        }
        this.decided = revocations.decidedAmong(occurrenceIds);
        // the keys' row locks serialise the decisions with manual changes of the keys
        this.keys = new KeyRows(handle).findAll(keyIds, true);
        revocations.pendingFor(keyIds)
                .forEach((keyId, d) -> pending.put(keyId, new Pending(d.id(), d.pendingReason())));
    }

    boolean decided(String occurrenceId) {
        return decided.contains(occurrenceId);
    }

    Optional<KeyRecord> key(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    boolean revoked(String keyId) {
        return revokedNow.contains(keyId) || (keys.containsKey(keyId) && keys.get(keyId).isRevoked());
    }

    Optional<Pending> pending(String keyId) {
        return Optional.ofNullable(pending.get(keyId));
    }

    void keyRevoked(String keyId) {
        revokedNow.add(keyId);
    }

    void decision(RevocationStore.NewDecision decision, IntakeOutcome outcome) {
        decisions.add(decision);
        if (decision.status() == DecisionStatus.PENDING_APPROVAL) {
            pending.put(decision.keyId(), new Pending(decision.id(), decision.pendingReason()));
        }
        attach(decision.id(), outcome);
    }

    void attach(String decisionId, IntakeOutcome outcome) {
        attachments.add(new RevocationStore.Attachment(decisionId, outcome.occurrence().id(), outcome.alertId()));
        decided.add(outcome.occurrence().id());
    }

    void audit(RevocationStore.AuditRow row) {
        audit.add(row);
    }

    void mark(AlertStore.AutoRevocationMark mark) {
        marks.add(mark);
    }

    /** A webhook event of a decision ({@code revocation.pending}), written with the decisions. */
    void webhook(WebhookOutbox.Entry entry) {
        webhooks.add(entry);
    }

    /** Writes what the batch decided: decisions first (the others refer to them). */
    void flush(Handle handle, Revocations revocations, Alerts alerts, Instant now, WebhookOutbox outbox) {
        revocations.insertDecisions(decisions, now);
        revocations.attachAll(attachments, now);
        revocations.auditAll(audit, now);
        alerts.recordAutoRevocations(marks, now);
        outbox.on(handle).enqueueAll(webhooks);
    }
}
