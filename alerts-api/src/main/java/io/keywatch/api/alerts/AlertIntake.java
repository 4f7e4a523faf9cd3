package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import io.keywatch.events.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Stores a batch of alerts, a chunk of at most {@link #TRANSACTION_CHUNK} per transaction (with the
 * {@code alert.created} webhook events of the alerts it opens), then lets the revocation engine decide about the
 * chunk in a second one (both idempotent). The engine runs for replayed occurrences too: if a previous attempt stored
 * the batch but died before deciding, the replay finishes the job; silences are judged as they were when the
 * occurrence first arrived.
 *
 * <p>Urgent first: the HIGH and CRITICAL occurrences of a batch (CRITICAL before HIGH) are stored and decided in
 * their own transactions before the rest, which keeps its arrival order; a critical alert behind a burst of
 * thousands of hygiene alerts in one poll waits for none of them, and no poll size makes a transaction unbounded.
 */
public final class AlertIntake implements AlertBatchHandler {

    /** Occurrences per transaction: what a poll of any size commits at a time. */
    public static final int TRANSACTION_CHUNK = AlertStore.CHUNK;

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
        List<Alert> urgent = new ArrayList<>();
        List<Alert> bulk = new ArrayList<>(alerts.size());
        for (Alert alert : alerts) {
            (alert.severity().isAtLeast(Severity.HIGH) ? urgent : bulk).add(alert);
        }
        urgent.sort(Comparator.comparing(Alert::severity).reversed()); // stable: arrival order within a severity
        storeAndDecide(urgent);
        storeAndDecide(bulk);
    }

    private void storeAndDecide(List<Alert> alerts) {
        for (int from = 0; from < alerts.size(); from += TRANSACTION_CHUNK) {
            List<IntakeOutcome> outcomes =
                    store.intake(alerts.subList(from, Math.min(alerts.size(), from + TRANSACTION_CHUNK)));
            // committed: from here on the alerts are stored, whatever the engine does next
            metrics.stored(outcomes);
            engine.stored(outcomes);
        }
    }

    /** The intake path for a synthetic valid alert, rolled back: see {@link AlertStore#probe()}. */
    public void probe() {
        store.probe();
    }
}
