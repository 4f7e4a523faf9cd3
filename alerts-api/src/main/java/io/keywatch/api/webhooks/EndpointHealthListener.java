package io.keywatch.api.webhooks;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * Told, inside the transaction that marks it, when a subscription starts a failing episode: once per episode, so
 * that what it writes (the WEBHOOK_FAILING alert) commits or rolls back with the state change.
 */
@FunctionalInterface
public interface EndpointHealthListener {

    EndpointHealthListener NONE = (handle, episode) -> { };

    /** A failing episode of one subscription began. */
    record FailingEpisode(String subscriptionId, String url, Instant since, String lastError, Instant firstProbeAt,
                          int attempts) {
    }

    void failing(Handle handle, FailingEpisode episode);
}
