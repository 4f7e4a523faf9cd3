package io.keywatch.api.alerts;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * What an alert's timeline reads besides the alert: the revocation audit of the decisions taken for it and the
 * webhook deliveries of the events that followed. Reads only; every list is bounded by the caller's limit.
 */
public final class TimelineSources {

    /** One entry of {@code revocation_audit} for a decision about the alert. */
    public record DecisionEntry(Instant at, String action, String actor, String onBehalfOf, String decisionId,
                                String reason) {
    }

    /** One delivery (event × subscription) with its attempts so far. */
    public record DeliveryEntry(String eventId, String eventType, Instant eventCreatedAt, String subscriptionId,
                                String status, int attempts, Instant firstAttemptAt, Instant deliveredAt,
                                Instant failedAt, Integer lastStatusCode) {
    }

    private final Jdbi jdbi;

    public TimelineSources(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The audit entries of the revocation decisions whose alert is {@code alertId}, oldest first. */
    public List<DecisionEntry> decisions(String alertId, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT a.at, a.action, a.actor, a.on_behalf_of, a.decision_id, a.reason
                        FROM revocation_audit a
                        WHERE a.decision_id IN (SELECT id FROM revocation_decisions WHERE alert_id = :alertId)
                        ORDER BY a.at, a.id
                        LIMIT :limit
                        """)
                .bind("alertId", alertId)
                .bind("limit", limit)
                .map(ConstructorMapper.of(DecisionEntry.class))
                .list());
    }

    /**
     * The deliveries of the webhook events this alert caused: {@code alert.created} and {@code revocation.pending}
     * for one of its occurrences, and {@code key.revoked} for the key at one of {@code revokedAt} (the event carries
     * the revocation's own time, in milliseconds, so a later, unrelated revocation of the key is not counted). Oldest first.
     */
    public List<DeliveryEntry> deliveries(String alertId, String keyId, List<Instant> revokedAt, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT e.id AS event_id, e.type AS event_type, e.created_at AS event_created_at,
                               d.subscription_id, d.status, d.attempts,
                               (SELECT min(t.attempted_at) FROM webhook_attempts t
                                 WHERE t.event_id = d.event_id AND t.subscription_id = d.subscription_id)
                                   AS first_attempt_at,
                               d.delivered_at, d.failed_at, d.last_status_code
                        FROM webhook_events e
                        JOIN webhook_deliveries d ON d.event_id = e.id
                        WHERE e.key_id = :keyId
                          -- nothing this alert caused happened before its first window or detection (an event's
                          -- time is an occurrence's detection, else its window's end; 5 min for clocks): an index
                          -- range, so old events of a busy key are never parsed
                          AND e.occurred_at >= (SELECT LEAST(a.detected_at, a.window_start) - interval '5 minutes'
                                                 FROM alerts a WHERE a.id = :alertId)
                          AND ((e.type = 'key.revoked' AND EXISTS (
                                SELECT 1 FROM unnest(CAST(:revokedAt AS timestamptz[])) AS r(at)
                                WHERE e.occurred_at BETWEEN r.at - interval '1 millisecond'
                                                        AND r.at + interval '1 millisecond'))
                            OR (e.type IN ('alert.created', 'revocation.pending')
                                AND convert_from(e.payload, 'UTF8')::jsonb #>> '{data,alertId}'
                                    IN (SELECT o.id FROM alert_occurrences o WHERE o.alert_id = :alertId)))
                        ORDER BY e.created_at, e.id, d.subscription_id
                        LIMIT :limit
                        """)
                .bind("keyId", keyId)
                .bind("alertId", alertId)
                .bindArray("revokedAt", String.class, revokedAt.stream().map(Instant::toString).toList())
                .bind("limit", limit)
                .map(ConstructorMapper.of(DeliveryEntry.class))
                .list());
    }
}
