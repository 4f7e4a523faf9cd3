package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
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
}
