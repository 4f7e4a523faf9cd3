package io.keywatch.api.webhooks;

import io.keywatch.api.http.CursorCodec;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook deliveries in PostgreSQL: the relay's claims (a lease, so that no transaction stays open across an HTTP
 * call and a delivery whose relay died becomes due again), the record of each attempt, and the delivery log.
 */
public final class DeliveryStore {

    /*
     * One statement claims due deliveries: SKIP LOCKED lets several relays (API instances) share the work without
     * waiting on each other, and the lease (claimed_until) keeps a claimed delivery away from the others until the
     * attempt is recorded or the lease runs out.
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT event_id, subscription_id FROM webhook_deliveries
                WHERE status = 'PENDING' AND next_attempt_at <= :now
                  AND (claimed_until IS NULL OR claimed_until < :now)
                ORDER BY next_attempt_at
                LIMIT :batch
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = :leaseUntil, claim_token = :token
                FROM due
                WHERE d.event_id = due.event_id AND d.subscription_id = due.subscription_id
                RETURNING d.event_id, d.subscription_id, d.attempts, d.round_start)
            SELECT c.event_id, c.subscription_id, c.attempts, c.round_start, e.type, e.payload, s.url, s.secret,
                   s.previous_secret, s.previous_secret_until, (s.enabled AND s.deleted_at IS NULL) AS active
            FROM claimed c
            JOIN webhook_events e ON e.id = c.event_id
            JOIN webhook_subscriptions s ON s.id = c.subscription_id
            """;

    private static final String DELIVERY_COLUMNS = """
            d.event_id, d.subscription_id, e.type, e.key_id, e.occurred_at, d.status, d.attempts, d.next_attempt_at,
            d.last_status_code, d.last_error, d.delivered_at, d.failed_at, d.created_at, d.updated_at
            """;

    /** A delivery the relay owns until {@code leaseUntil}. */
    public record Claim(String eventId, String subscriptionId, int attempts, int roundStart, String type,
                        byte[] payload, String url, String secret, String previousSecret,
                        Instant previousSecretUntil, boolean active, String token) {

        /** The attempts made in the current round (since creation or the latest redelivery). */
        public int roundAttempts() {
            return attempts - roundStart;
        }
    }

    /** One attempt as the delivery log shows it. */
    public record Attempt(int attempt, Instant attemptedAt, String outcome, Integer statusCode, long latencyMs,
                          String error, Long retryAfterMs, String nextStep, Instant nextAttemptAt,
                          String responseBody) {
    }

    /**
     * One delivery as the delivery log shows it; {@code id} (the delivery id in the API) is the event id, which is
     * also the {@code webhook-id} header on every attempt.
     */
    public record Delivery(String id, String webhookId, String subscriptionId, String eventType, String keyId,
                           Instant occurredAt, String status, int attempts, Instant nextAttemptAt,
                           Integer lastStatusCode, String lastError, Instant deliveredAt, Instant failedAt,
                           Instant createdAt, Instant updatedAt, List<Attempt> attemptLog) {

        Delivery withAttempts(List<Attempt> log) {
            return new Delivery(id, webhookId, subscriptionId, eventType, keyId, occurredAt, status, attempts,
                    nextAttemptAt, lastStatusCode, lastError, deliveredAt, failedAt, createdAt, updatedAt,
                    List.copyOf(log));
        }
    }

    /** One page of the delivery log, newest first. */
    public record DeliveryPage(List<Delivery> items,
                               @com.fasterxml.jackson.annotation.JsonInclude(
                                       com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                               String nextCursor) {
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final RelaySignal signal;

    public DeliveryStore(Jdbi jdbi, Clock clock, RelaySignal signal) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.signal = signal;
    }

    // ------------------------------------------------------------------------------------------------ relay

    /** Claims up to {@code batch} due deliveries for {@code lease}. */
    public List<Claim> claim(int batch, Duration lease) {
        Instant now = now();
        String token = UUID.randomUUID().toString();
        return jdbi.withHandle(handle -> handle.createQuery(CLAIM)
                .bind("now", now)
                .bind("leaseUntil", now.plus(lease))
                .bind("token", token)
                .bind("batch", batch)
                .map((rs, ctx) -> new Claim(rs.getString("event_id"), rs.getString("subscription_id"),
                        rs.getInt("attempts"), rs.getInt("round_start"), rs.getString("type"),
                        rs.getBytes("payload"), rs.getString("url"), rs.getString("secret"),
                        rs.getString("previous_secret"), SubscriptionStore.instant(rs, "previous_secret_until"),
                        rs.getBoolean("active"), token))
                .list());
    }

    /**
     * Records an attempt and what follows from it, in one transaction: the attempt row, the delivery's new state
     * and, for 410 Gone, the subscription disabled (with its other pending deliveries failed). A claim whose lease
     * another relay took over meanwhile still logs its attempt but leaves the delivery to that relay.
     */
    public void record(Claim claim, AttemptResult result, NextStep step) {
        Instant now = now();
        int attempt = claim.attempts() + 1;
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            INSERT INTO webhook_attempts (event_id, subscription_id, attempt, attempted_at, outcome,
                                                          status_code, latency_ms, error, response_body,
                                                          retry_after_ms, next_step, next_attempt_at)
                            VALUES (:eventId, :subscriptionId, :attempt, :attemptedAt, :outcome, :statusCode,
                                    :latencyMs, :error, :responseBody, :retryAfterMs, :nextStep, :nextAttemptAt)
                            """)
                    .bind("eventId", claim.eventId())
                    .bind("subscriptionId", claim.subscriptionId())
                    .bind("attempt", attempt)
                    .bind("attemptedAt", micros(result.attemptedAt()))
                    .bind("outcome", result.outcome().name())
                    .bindByType("statusCode", result.status(), Integer.class)
                    .bind("latencyMs", result.latencyMs())
                    .bindByType("error", result.error(), String.class)
                    .bindByType("responseBody", result.responseBody(), String.class)
                    .bindByType("retryAfterMs", result.retryAfter() == null ? null : result.retryAfter().toMillis(),
                            Long.class)
                    .bind("nextStep", step.kind().name())
                    .bindByType("nextAttemptAt", micros(step.nextAttemptAt()), Instant.class)
                    .execute();
            String status = switch (step.kind()) {
                case DELIVERED -> "DELIVERED";
                case RETRY -> "PENDING";
                case FAILED, ENDPOINT_GONE -> "FAILED";
            };
            handle.createUpdate("""
                            UPDATE webhook_deliveries SET
                                status           = :status,
                                attempts         = attempts + 1,
                                next_attempt_at  = COALESCE(:nextAttemptAt, next_attempt_at),
                                claimed_until    = NULL,
                                claim_token      = NULL,
                                last_status_code = :statusCode,
                                last_error       = :error,
                                delivered_at     = CASE WHEN :status = 'DELIVERED' THEN :now ELSE delivered_at END,
                                failed_at        = CASE WHEN :status = 'FAILED' THEN :now ELSE failed_at END,
                                updated_at       = :now
                            WHERE event_id = :eventId AND subscription_id = :subscriptionId AND claim_token = :token
                            """)
                    .bind("status", status)
                    .bindByType("nextAttemptAt", micros(step.nextAttemptAt()), Instant.class)
                    .bindByType("statusCode", result.status(), Integer.class)
                    .bindByType("error", step.kind() == NextStep.Kind.DELIVERED ? null : step.reason(), String.class)
                    .bind("now", now)
                    .bind("eventId", claim.eventId())
                    .bind("subscriptionId", claim.subscriptionId())
                    .bind("token", claim.token())
                    .execute();
            if (step.kind() == NextStep.Kind.ENDPOINT_GONE) {
                String reason = "410 Gone on attempt " + attempt + " of event " + claim.eventId() + " at " + now;
                handle.createUpdate("""
                                UPDATE webhook_subscriptions SET enabled = false, disabled_reason = :reason,
                                                                 disabled_at = :now, updated_at = :now
                                WHERE id = :id AND enabled
                                """)
                        .bind("reason", reason)
                        .bind("now", now)
                        .bind("id", claim.subscriptionId())
                        .execute();
                failPending(handle, claim.subscriptionId(), "endpoint disabled: " + reason, now);
            }
        });
    }

    /** A claimed delivery whose subscription was disabled or deleted meanwhile: FAILED without an attempt. */
    public void failInactive(Claim claim) {
        Instant now = now();
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'FAILED', failed_at = :now, claimed_until = NULL,
                                                      claim_token = NULL, updated_at = :now,
                                                      last_error = 'not sent: the subscription is disabled'
                        WHERE event_id = :eventId AND subscription_id = :subscriptionId AND claim_token = :token
                        """)
                .bind("now", now)
                .bind("eventId", claim.eventId())
                .bind("subscriptionId", claim.subscriptionId())
                .bind("token", claim.token())
                .execute());
    }

    /**
     * A claimed delivery that can never be sent as stored (its secret, payload or URL cannot be used to build the
     * request): FAILED at once with {@code why}, so that it is not retried after every lease; a redelivery (after the
     * subscription is fixed) tries it again.
     */
    public void failUnsendable(Claim claim, String why) {
        Instant now = now();
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'FAILED', failed_at = :now, claimed_until = NULL,
                                                      claim_token = NULL, updated_at = :now, last_error = :why
                        WHERE event_id = :eventId AND subscription_id = :subscriptionId AND claim_token = :token
                        """)
                .bind("now", now)
                .bind("why", why)
                .bind("eventId", claim.eventId())
                .bind("subscriptionId", claim.subscriptionId())
                .bind("token", claim.token())
                .execute());
    }

    /** Gives a claimed delivery back unattempted (the relay is stopping): due again at once for any relay. */
    public void release(Claim claim) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET claimed_until = NULL, claim_token = NULL
                        WHERE event_id = :eventId AND subscription_id = :subscriptionId AND claim_token = :token
                        """)
                .bind("eventId", claim.eventId())
                .bind("subscriptionId", claim.subscriptionId())
                .bind("token", claim.token())
                .execute());
    }

    /** Fails every pending delivery of a subscription (disabled or deleted), on the caller's handle. */
    static void failPending(Handle handle, String subscriptionId, String why, Instant now) {
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

    // ---------------------------------------------------------------------------------------- delivery log

    /**
     * One page of a subscription's deliveries, newest first, each with its attempts.
     *
     * @param status PENDING, DELIVERED, FAILED or null for all
     * @param cursor a {@code nextCursor} of an earlier page, or null
     */
    public DeliveryPage list(String subscriptionId, String status, int limit, String cursor) {
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = new StringBuilder("WHERE d.subscription_id = :subscriptionId");
        params.put("subscriptionId", subscriptionId);
        if (status != null) {
            where.append(" AND d.status = :status");
            params.put("status", status);
        }
        if (cursor != null) {
            String[] parts = CursorCodec.decode(cursor, "d1", 2);
            Instant at = CursorCodec.instant(parts[0]);
            where.append(" AND (d.created_at, d.event_id) < (:afterAt, :afterId)");
            params.put("afterAt", at);
            params.put("afterId", parts[1]);
        }
        String sql = "SELECT " + DELIVERY_COLUMNS + """
                 FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                """ + where + "\nORDER BY d.created_at DESC, d.event_id DESC LIMIT :fetch";
        return jdbi.withHandle(handle -> {
            List<Delivery> rows = handle.createQuery(sql)
                    .bindMap(params)
                    .bind("fetch", limit + 1)
                    .map((rs, ctx) -> delivery(rs))
                    .list();
            List<Delivery> page = rows.size() > limit ? rows.subList(0, limit) : rows;
            String next = rows.size() > limit
                    ? CursorCodec.encode("d1", page.get(page.size() - 1).createdAt().toString(),
                    page.get(page.size() - 1).id())
                    : null;
            return new DeliveryPage(withAttempts(handle, subscriptionId, page), next);
        });
    }

    public Optional<Delivery> find(String subscriptionId, String eventId) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + DELIVERY_COLUMNS + """
                         FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id
                        WHERE d.subscription_id = :subscriptionId AND d.event_id = :eventId
                        """)
                .bind("subscriptionId", subscriptionId)
                .bind("eventId", eventId)
                .map((rs, ctx) -> delivery(rs))
                .findOne()
                .map(d -> withAttempts(handle, subscriptionId, List.of(d)).get(0)));
    }

    /**
     * Queues the delivery again now, with the same webhook-id and a fresh retry schedule; empty when there is no
     * such delivery. Wakes the relay after the commit.
     */
    public Optional<Delivery> redeliver(String subscriptionId, String eventId) {
        Instant now = now();
        int updated = jdbi.withHandle(handle -> handle.createUpdate("""
                        UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = :now, round_start = attempts,
                                                      claimed_until = NULL, claim_token = NULL, delivered_at = NULL,
                                                      failed_at = NULL, updated_at = :now
                        WHERE subscription_id = :subscriptionId AND event_id = :eventId
                        """)
                .bind("now", now)
                .bind("subscriptionId", subscriptionId)
                .bind("eventId", eventId)
                .execute());
        if (updated == 0) {
            return Optional.empty();
        }
        signal.wake();
        return find(subscriptionId, eventId);
    }

    private static List<Delivery> withAttempts(Handle handle, String subscriptionId, List<Delivery> deliveries) {
        if (deliveries.isEmpty()) {
            return List.of();
        }
        Map<String, List<Attempt>> attempts = handle.createQuery("""
                        SELECT event_id, attempt, attempted_at, outcome, status_code, latency_ms, error, retry_after_ms,
                               next_step, next_attempt_at, response_body
                        FROM webhook_attempts
                        WHERE subscription_id = :subscriptionId AND event_id = ANY(:eventIds)
                        ORDER BY id
                        """)
                .bind("subscriptionId", subscriptionId)
                .bindArray("eventIds", String.class, deliveries.stream().map(Delivery::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("event_id"), new Attempt(rs.getInt("attempt"),
                        SubscriptionStore.instant(rs, "attempted_at"), rs.getString("outcome"),
                        (Integer) rs.getObject("status_code"), rs.getLong("latency_ms"), rs.getString("error"),
                        (Long) rs.getObject("retry_after_ms"), rs.getString("next_step"),
                        SubscriptionStore.instant(rs, "next_attempt_at"), rs.getString("response_body"))))
                .list()
                .stream()
                .collect(Collectors.groupingBy(Map.Entry::getKey, LinkedHashMap::new,
                        Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
        List<Delivery> out = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            out.add(d.withAttempts(attempts.getOrDefault(d.id(), List.of())));
        }
        return out;
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        String eventId = rs.getString("event_id");
        return new Delivery(eventId, eventId, rs.getString("subscription_id"), rs.getString("type"),
                rs.getString("key_id"), SubscriptionStore.instant(rs, "occurred_at"), rs.getString("status"),
                rs.getInt("attempts"), SubscriptionStore.instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                SubscriptionStore.instant(rs, "delivered_at"), SubscriptionStore.instant(rs, "failed_at"),
                SubscriptionStore.instant(rs, "created_at"), SubscriptionStore.instant(rs, "updated_at"), List.of());
    }

    private Instant now() {
        return micros(clock.instant());
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
