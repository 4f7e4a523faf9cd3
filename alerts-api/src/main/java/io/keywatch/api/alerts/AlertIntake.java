package io.keywatch.api.alerts;

import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.events.Alert;
import java.util.List;

/** Stores a batch of alerts in one transaction, then lets the revocation policy act on each (both idempotent). */
public final class AlertIntake implements AlertBatchHandler {

    private final AlertStore store;
    private final RevocationPolicy policy;

    public AlertIntake(AlertStore store, RevocationPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    @Override
    public void handle(List<Alert> alerts) {
        store.storeAll(alerts);
        for (Alert alert : alerts) {
            policy.apply(alert);
        }
    }
}
