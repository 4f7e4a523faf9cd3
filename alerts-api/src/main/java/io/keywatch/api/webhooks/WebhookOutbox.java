package io.keywatch.api.webhooks;

import io.keywatch.api.keys.KeyRecord;
import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;

/**
 * The transactional outbox: writes a webhook event and one delivery per matching subscription on the caller's
 * handle, inside the transaction of the change the event reports, so that the change and its webhooks commit (or
 * roll back) together. After the commit, the in-process {@link RelaySignal} wakes the relay. An event no
 * subscription wants is not stored at all.
 */
public final class WebhookOutbox {

    private static final String MATCHING = """
            SELECT id FROM webhook_subscriptions
            WHERE enabled AND deleted_at IS NULL
              AND :type = ANY(event_types)
              AND (key_owner IS NULL OR key_owner = :owner)
              AND (key_service IS NULL OR key_service = :service)
            ORDER BY id
            """;

    private final WebhookEvents events;
    private final RelaySignal signal;
    private final Clock clock;

    public WebhookOutbox(WebhookEvents events, RelaySignal signal, Clock clock) {
        this.events = Objects.requireNonNull(events, "events");
        this.signal = Objects.requireNonNull(signal, "signal");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** {@code key.revoked} or {@code key.reinstated}, matched against the key's owner and service. */
    public int keyStateChanged(Handle handle, KeyRecord key) {
        return enqueue(handle, events.keyStateChanged(key.toKeyState()), key.metadata());
    }

    /** {@code alert.created} for a new alert, matched against its key's registry entry. */
    public int alertCreated(Handle handle, Alert alert) {
        return enqueue(handle, events.alertCreated(alert), metadataOf(handle, alert.keyId()));
    }

    /** {@code revocation.pending}: a person must approve or deny decision {@code decisionId}. */
    public int revocationPending(Handle handle, Alert alert, String why, String decisionId, KeyMetadata metadata) {
        WebhookEvent base = events.revocationPending(alert, why);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("decisionId", decisionId);
        data.putAll(base.data());
        if (metadata != null) {
            data.put("owner", metadata.owner());
            data.put("service", metadata.service());
        }
        return enqueue(handle, new WebhookEvent(base.id(), base.type(), base.timestamp(), data), metadata);
    }

    /** Stores the event and its deliveries on {@code handle}; returns how many deliveries. */
    public int enqueue(Handle handle, WebhookEvent event, KeyMetadata metadata) {
        List<String> subscriptions = handle.createQuery(MATCHING)
                .bind("type", event.type().wireName())
                .bindByType("owner", metadata == null ? null : metadata.owner(), String.class)
                .bindByType("service", metadata == null ? null : metadata.service(), String.class)
                .mapTo(String.class)
                .list();
        if (subscriptions.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Object keyId = event.data().get("keyId");
        handle.createUpdate("""
                        INSERT INTO webhook_events (id, type, key_id, occurred_at, payload, created_at)
                        VALUES (:id, :type, :keyId, :occurredAt, :payload, :now)
                        """)
                .bind("id", event.id())
                .bind("type", event.type().wireName())
                .bindByType("keyId", keyId == null ? null : keyId.toString(), String.class)
                .bind("occurredAt", event.timestamp())
                .bind("payload", event.toJson())
                .bind("now", now)
                .execute();
        handle.createUpdate("""
                        INSERT INTO webhook_deliveries (event_id, subscription_id, next_attempt_at, created_at,
                                                        updated_at)
                        SELECT :eventId, s, :now, :now, :now FROM unnest(:subscriptions) AS s
                        """)
                .bind("eventId", event.id())
                .bindArray("subscriptions", String.class, subscriptions)
                .bind("now", now)
                .execute();
        handle.afterCommit(signal::wake);
        return subscriptions.size();
    }

    private static KeyMetadata metadataOf(Handle handle, String keyId) {
        return handle.createQuery("SELECT metadata::text FROM keys WHERE key_id = :keyId")
                .bind("keyId", keyId)
                .mapTo(KeyMetadata.class)
                .findOne()
                .orElse(null);
    }
}
