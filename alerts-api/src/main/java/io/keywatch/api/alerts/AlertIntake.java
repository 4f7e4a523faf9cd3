package io.keywatch.api.alerts;

import io.keywatch.api.keys.KeyRecord;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a batch of alerts in one transaction, then lets the revocation policy act on each (both idempotent). The
 * policy runs for replayed occurrences too: if a previous attempt stored the batch but died before revoking, the
 * replay finishes the job; silences are judged as they were when the occurrence first arrived.
 */
public final class AlertIntake implements AlertBatchHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AlertIntake.class);
    static final String PROTECTED_NOTE = "automatic revocation skipped: key protected (autoRevoke=false)";

    private final AlertStore store;
    private final RevocationPolicy policy;
    private final KeyStore keys;

    public AlertIntake(AlertStore store, RevocationPolicy policy, KeyStore keys) {
        this.store = store;
        this.policy = policy;
        this.keys = keys;
    }

    @Override
    public void handle(List<Alert> alerts) {
        for (IntakeOutcome outcome : store.intake(alerts)) {
            Alert alert = outcome.occurrence();
            if (!policy.appliesTo(alert)) {
                continue;
            }
            KeyMetadata metadata = keys.metadata(alert.keyId()).orElse(null);
            switch (policy.decide(alert, outcome.silenced(), metadata)) {
                case REVOKE -> revoke(outcome);
                case SKIP_SILENCED -> store.recordAutoRevocation(outcome.alertId(), alert.id(), "SKIPPED_SILENCED",
                        RevocationPolicy.actorFor(alert), "automatic revocation skipped: alert silenced by silence "
                                + outcome.silenceId() + " (occurrence " + alert.id() + ", " + alert.severity() + ")");
                case SKIP_PROTECTED -> {
                    LOG.info("Not revoking key {} for {} alert {}: the key is registered with autoRevoke=false",
                            alert.keyId(), alert.severity(), alert.id());
                    store.recordAutoRevocation(outcome.alertId(), alert.id(), "SKIPPED_PROTECTED",
                            RevocationPolicy.actorFor(alert), PROTECTED_NOTE + " (occurrence " + alert.id() + ", "
                                    + alert.severity() + ")");
                }
                case NONE -> {
                    // below the minimum: nothing to do
                }
            }
        }
    }

    private void revoke(IntakeOutcome outcome) {
        Alert alert = outcome.occurrence();
        KeyRecord key = policy.revoke(alert);
        // only the alert that caused the revocation says so; later alerts of a revoked key do not
        if (RevocationPolicy.reasonFor(alert).equals(key.reason())) {
            store.recordAutoRevocation(outcome.alertId(), alert.id(), "REVOKED", RevocationPolicy.actorFor(alert),
                    "key " + alert.keyId() + " revoked automatically (occurrence " + alert.id() + ", "
                            + alert.severity() + ")");
        }
    }
}
