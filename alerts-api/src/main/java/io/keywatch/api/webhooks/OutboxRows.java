package io.keywatch.api.webhooks;

import io.keywatch.api.keys.KeyRecord;
import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The outbox's writes in one transaction ({@link WebhookOutbox#on}): the event and its deliveries go through the
 * handle of the change the event reports, so that both commit (or roll back) together; the relay is woken after
 * the commit.
 */
public final class OutboxRows {

    private static final String MATCHING = """
            SELECT id FROM webhook_subscriptions
            WHERE enabled AND deleted_at IS NULL
              AND :type = ANY(event_types)
              AND (key_owner IS NULL OR key_owner = :owner)
              AND (key_service IS NULL OR key_service = :service)
            ORDER BY id
            """;

    private final WebhookOutbox outbox;
    private final Handle handle;

    OutboxRows(WebhookOutbox outbox, Handle handle) {
        this.outbox = outbox;
        this.handle = handle;
    }

    /** {@code key.revoked} or {@code key.reinstated}, matched against the key's owner and service. */
    public int keyStateChanged(KeyRecord key) {
        return enqueue(outbox.events().keyStateChanged(key.toKeyState()), key.metadata());
    }

    /** {@code alert.created} for a new alert, matched against its key's registry entry. */
    public int alertCreated(Alert alert) {
        return enqueue(outbox.events().alertCreated(alert), metadataOf(alert.keyId()));
    }

    /**
     * {@code alert.created} for each alert a chunk of intake opened, set-based: one read of the subscriptions that
     * want the type (none, the common case of a burst: nothing more), one of the keys' registry entries, then
     * {@link #enqueueAll}. Matches exactly as {@link #alertCreated(Alert)}.
     */
    public int alertsCreated(List<Alert> alerts) {
        if (alerts.isEmpty() || subscriptions(List.of(WebhookEventType.ALERT_CREATED.wireName())).isEmpty()) {
            return 0;
        }
        Map<String, KeyMetadata> metadata = new HashMap<>();
        handle.createQuery("SELECT key_id, metadata::text AS metadata FROM keys WHERE key_id = ANY(:keyIds)")
                .bindArray("keyIds", String.class, alerts.stream().map(Alert::keyId).distinct().toArray())
                .map((rs, ctx) -> Map.entry(rs.getString(1), Optional.ofNullable(
                        ctx.findColumnMapperFor(KeyMetadata.class).orElseThrow().map(rs, 2, ctx))))
                .forEach(e -> e.getValue().ifPresent(m -> metadata.put(e.getKey(), m)));
        return enqueueAll(alerts.stream()
                .map(alert -> new WebhookOutbox.Entry(outbox.events().alertCreated(alert),
                        metadata.get(alert.keyId())))
                .toList());
    }

    /**
     * {@link #enqueue} for many events, set-based: one read of the subscriptions wanting any of their types, matched
     * in memory as {@code MATCHING} matches, then one JDBC batch of events and one of deliveries.
     */
    public int enqueueAll(List<WebhookOutbox.Entry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        List<Subscription> subscriptions = subscriptions(
                entries.stream().map(e -> e.event().type().wireName()).distinct().toList());
        if (subscriptions.isEmpty()) {
            return 0;
        }
        Instant now = outbox.now();
        PreparedBatch eventRows = handle.prepareBatch("""
                INSERT INTO webhook_events (id, type, key_id, occurred_at, payload, created_at)
                VALUES (:id, :type, :keyId, :occurredAt, :payload, :now)
                """);
        PreparedBatch deliveryRows = handle.prepareBatch("""
                INSERT INTO webhook_deliveries (event_id, subscription_id, next_attempt_at, created_at, updated_at)
                VALUES (:eventId, :subscriptionId, :now, :now, :now)
                """);
        int deliveries = 0;
        for (WebhookOutbox.Entry entry : entries) {
            WebhookEvent event = entry.event();
            List<Subscription> matching = subscriptions.stream()
                    .filter(s -> s.matches(event.type().wireName(), entry.metadata())).toList();
            if (matching.isEmpty()) {
                continue;
            }
            Object keyId = event.data().get("keyId");
            eventRows.bind("id", event.id())
                    .bind("type", event.type().wireName())
                    .bindByType("keyId", keyId == null ? null : keyId.toString(), String.class)
                    .bind("occurredAt", event.timestamp())
                    .bind("payload", event.toJson())
                    .bind("now", now)
                    .add();
            for (Subscription subscription : matching) {
                deliveryRows.bind("eventId", event.id()).bind("subscriptionId", subscription.id()).bind("now", now)
                        .add();
                deliveries++;
            }
        }
        if (deliveries == 0) {
            return 0;
        }
        eventRows.execute();
        deliveryRows.execute();
        handle.afterCommit(outbox.signal()::wake);
        return deliveries;
    }

    private List<Subscription> subscriptions(List<String> types) {
        return handle.createQuery("""
                        SELECT id, key_owner, key_service, event_types FROM webhook_subscriptions
                        WHERE enabled AND deleted_at IS NULL AND event_types && CAST(:types AS text[])
                        ORDER BY id
                        """)
                .bindArray("types", String.class, types)
                .map((rs, ctx) -> new Subscription(rs.getString(1), rs.getString(2), rs.getString(3),
                        Set.of((String[]) rs.getArray(4).getArray())))
                .list();
    }

    /** A subscription, its event types and its key filters (null: any). */
    private record Subscription(String id, String owner, String service, Set<String> types) {
        boolean matches(String type, KeyMetadata key) {
            String keyOwner = key == null ? null : key.owner();
            String keyService = key == null ? null : key.service();
            return types.contains(type) && (owner == null || owner.equals(keyOwner))
                    && (service == null || service.equals(keyService));
        }
    }

    /** {@code revocation.pending}: a person must approve or deny decision {@code decisionId}. */
    public int revocationPending(Alert alert, String why, String decisionId, KeyMetadata metadata) {
        return enqueue(outbox.revocationPendingEvent(alert, why, decisionId, metadata), metadata);
    }

    /** Stores the event and its deliveries; returns how many deliveries. */
    public int enqueue(WebhookEvent event, KeyMetadata metadata) {
        List<String> subscriptions = handle.createQuery(MATCHING)
                .bind("type", event.type().wireName())
                .bindByType("owner", metadata == null ? null : metadata.owner(), String.class)
                .bindByType("service", metadata == null ? null : metadata.service(), String.class)
                .mapTo(String.class)
                .list();
        if (subscriptions.isEmpty()) {
            return 0;
        }
        Instant now = outbox.now();
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
        handle.afterCommit(outbox.signal()::wake);
        return subscriptions.size();
    }

    private KeyMetadata metadataOf(String keyId) {
        return handle.createQuery("SELECT metadata::text FROM keys WHERE key_id = :keyId")
                .bind("keyId", keyId)
                .mapTo(KeyMetadata.class)
                .findOne()
                .orElse(null);
    }
}
