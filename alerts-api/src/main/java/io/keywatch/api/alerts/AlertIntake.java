package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import java.util.List;

/**
 * Stores a batch of alerts in one transaction (with the {@code alert.created} webhook events of the alerts it
 * opens), then lets the revocation engine decide about them in a second one (both idempotent). The engine runs for
 * replayed occurrences too: if a previous attempt stored the batch but died before deciding, the replay finishes
 * the job; silences are judged as they were when the occurrence first arrived.
 */
public final class AlertIntake implements AlertBatchHandler {

    private final AlertStore store;
    private final StoredAlertsListener engine;
    private final IntakeMetrics metrics;

    public AlertIntake(AlertStore store, StoredAlertsListener engine) {
        this(store, engine, IntakeMetrics.NONE);
    }

    public AlertIntake(AlertStore store, StoredAlertsListener engine, IntakeMetrics metrics) {
        this.store = store;
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    public void handle(List<Alert> alerts) {
        List<IntakeOutcome> outcomes = store.intake(alerts);
        // committed: from here on the alerts are stored, whatever the engine does next
        metrics.stored(outcomes);
        engine.stored(outcomes);
    }

    /** The intake path for a synthetic valid alert, rolled back: see {@link AlertStore#probe()}. */
    public void probe() {
        store.probe();
    }
}
