package io.keywatch.api.webhooks;

import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The subscriptions read inside a larger transaction (a delete, with its audit entry), on its handle. */
final class SubscriptionRows {

    private final Handle handle;

    SubscriptionRows(Handle handle) {
        this.handle = handle;
    }

    /** The subscription, unless it is unknown or deleted. */
    Optional<WebhookSubscription> find(String id) {
        return handle.createQuery("SELECT " + SubscriptionStore.COLUMNS
                        + " FROM webhook_subscriptions WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map(SubscriptionStore::map)
                .findOne();
    }
}
