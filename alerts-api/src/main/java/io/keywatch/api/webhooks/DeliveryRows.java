package io.keywatch.api.webhooks;

import java.time.Instant;
import org.jdbi.v3.core.Handle;

/**
 * The writes on deliveries, attempts and subscriptions' probe times that take part in a larger transaction (a
 * begun attempt, a disabled or deleted subscription, a redelivery), on that transaction's handle
 * ({@link DeliveryStore#on}).
 */
final class DeliveryRows {

    private final Handle handle;

    DeliveryRows(Handle handle) {
        this.handle = handle;
    }

    /** Earlier attempts of a delivery still IN_FLIGHT: their relay is gone, their outcome is UNKNOWN. */
    void markUnknown(String eventId, String subscriptionId) {
        handle.createUpdate("""
                        UPDATE webhook_attempts SET outcome = 'UNKNOWN', error = :error, next_step = 'RETRY'
                        WHERE event_id = :eventId AND subscription_id = :subscriptionId AND outcome = 'IN_FLIGHT'
                        """)
                .bind("error", DeliveryStore.UNKNOWN_OUTCOME)
                .bind("eventId", eventId)
                .bind("subscriptionId", subscriptionId)
                .execute();
    }

    /** Fails every pending delivery of a subscription (disabled or deleted). */
    void failPending(String subscriptionId, String why, Instant now) {
        handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'FAILED', failed_at = :now, last_error = :why,
                                                      updated_at = :now
                        WHERE subscription_id = :id AND status = 'PENDING'
                        """)
                .bind("now", now)
                .bind("why", why)
                .bind("id", subscriptionId)
                .execute();
    }

    /** A person asked for a delivery: a FAILING subscription is probed now instead of at its next probe time. */
    void probeNow(String subscriptionId, Instant now) {
        handle.createUpdate("""
                        UPDATE webhook_subscriptions SET next_probe_at = :now, updated_at = :now
                        WHERE id = :id AND state = 'FAILING' AND next_probe_at > :now
                        """)
                .bind("now", now)
                .bind("id", subscriptionId)
                .execute();
    }
}
