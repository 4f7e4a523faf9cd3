package io.keywatch.api.alerts;

import io.keywatch.events.Alert;
import java.util.List;

/**
 * What the consumer does with each polled batch of valid alerts. Must be idempotent (a failed batch is handed over
 * again) and throw when it could not finish, so that the batch's offsets are not committed.
 */
@FunctionalInterface
public interface AlertBatchHandler {

    void handle(List<Alert> alerts);
}
