package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * Told inside the intake transaction when an occurrence opens a new alert (not when it folds into an open one), so
 * that what follows (the {@code alert.created} webhook event in the outbox) commits with the alert.
 */
@FunctionalInterface
public interface AlertListener {

    AlertListener NONE = (handle, alert) -> {
    };

    void opened(Handle handle, Alert alert);

    /** The alerts a chunk of a batch opened, in arrival order; one at a time unless the listener can do better. */
    default void opened(Handle handle, List<Alert> alerts) {
        alerts.forEach(alert -> opened(handle, alert));
    }
}
