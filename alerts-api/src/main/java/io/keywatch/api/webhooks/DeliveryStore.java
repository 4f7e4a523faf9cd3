package io.keywatch.api.webhooks;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.input.CursorCodec;
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
     * attempt is recorded or the lease runs out. A FAILING subscription gets nothing but its probe: its oldest pending
     * delivery, once its next_probe_at has come (the probe's lease keeps a second probe away).
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT d.event_id, d.subscription_id FROM webhook_deliveries d
                JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.status = 'PENDING'
                  AND (d.claimed_until IS NULL OR d.claimed_until < :now)
                  AND ((s.state = 'HEALTHY' AND d.next_attempt_at <= :now)
                       OR (s.state = 'FAILING' AND s.next_probe_at <= :now
                           AND d.event_id = (SELECT p.event_id FROM webhook_deliveries p
                                             WHERE p.subscription_id = s.id AND p.status = 'PENDING'
                                             ORDER BY p.created_at, p.event_id LIMIT 1)))
                ORDER BY d.next_attempt_at, d.created_at, d.event_id
                LIMIT :batch
                FOR UPDATE OF d SKIP LOCKED),
            claimed AS (
                UPDATE webhook_deliveries d SET claimed_until = :leaseUntil, claim_token = :token
                FROM due
                WHERE d.event_id = due.event_id AND d.subscription_id = due.subscription_id
                RETURNING d.event_id, d.subscription_id, d.attempts, d.round_start)
            SELECT c.event_id, c.subscription_id, c.attempts, c.round_start, e.type, e.payload, s.url, s.secret,
                   s.previous_secret, s.previous_secret_until, (s.enabled AND s.deleted_at IS NULL) AS active,
                   s.state = 'FAILING' AS probe, s.probe_attempts
            FROM claimed c
            JOIN webhook_events e ON e.id = c.event_id
            JOIN webhook_subscriptions s ON s.id = c.subscription_id
            ORDER BY e.created_at, c.event_id
            """;

    /** An attempt whose outcome was never written: the relay that made it stopped (crash) or lost its lease. */
    static final String UNKNOWN_OUTCOME = "outcome never recorded: the relay stopped or lost its lease during the "
            + "attempt; the receiver may have got it (same webhook-id)";

    private static final String DELIVERY_COLUMNS = """
            d.event_id, d.subscription_id, e.type, e.key_id, e.occurred_at, d.status, d.attempts, d.next_attempt_at,
            d.last_status_code, d.last_error, d.delivered_at, d.failed_at, d.created_at, d.updated_at
            """;

    /**
     * A delivery the relay owns until {@code leaseUntil}.
     *
     * @param probe         the subscription is FAILING and this is its probe
     * @param probeAttempts probes made so far in the subscription's failing episode
     */
    public record Claim(String eventId, String subscriptionId, int attempts, int roundStart, String type,
                        byte[] payload, String url, String secret, String previousSecret,
                        Instant previousSecretUntil, boolean active, String token, boolean probe,
                        int probeAttempts) {

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
    private final EndpointHealthListener listener;

    public DeliveryStore(Jdbi jdbi, Clock clock, RelaySignal signal, EndpointHealthListener listener) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.signal = signal;
        this.listener = listener == null ? EndpointHealthListener.NONE : listener;
    }

    public DeliveryStore(Jdbi jdbi, Clock clock, RelaySignal signal) {
        this(jdbi, clock, signal, EndpointHealthListener.NONE);
    }

    // ------------------------------------------------------------------------------------------------ relay

    /** The deliveries as seen through {@code handle}: the caller's transaction. */
    DeliveryRows on(Handle handle) {
        return new DeliveryRows(handle);
    }

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
                        rs.getString("previous_secret"), instant(rs, "previous_secret_until"),
                        rs.getBoolean("active"), token, rs.getBoolean("probe"), rs.getInt("probe_attempts")))
                .list());
    }

    /** An attempt written before it is sent: its row in the log and its number among the delivery's attempts. */
    public record Started(long attemptId, int attempt) {
    }

    /**
     * Writes the attempt IN_FLIGHT (and counts it) before anything is sent, so that a crash mid-send leaves it in the
     * log; an earlier attempt of this delivery still IN_FLIGHT (its relay died) becomes UNKNOWN. Empty when the
     * claim's lease was taken over meanwhile: then nothing may be sent.
     */
    public Optional<Started> begin(Claim claim) {
        Instant now = now();
        return jdbi.inTransaction(handle -> {
            Optional<Integer> attempt = handle.createQuery("""
                            UPDATE webhook_deliveries SET attempts = attempts + 1, updated_at = :now
                            WHERE event_id = :eventId AND subscription_id = :subscriptionId AND claim_token = :token
                              AND status = 'PENDING'
                            RETURNING attempts
                            """)
                    .bind("now", now)
                    .bind("eventId", claim.eventId())
                    .bind("subscriptionId", claim.subscriptionId())
                    .bind("token", claim.token())
                    .mapTo(Integer.class)
                    .findOne();
            if (attempt.isEmpty()) {
                return Optional.<Started>empty();
            }
            on(handle).markUnknown(claim.eventId(), claim.subscriptionId());
            long id = handle.createQuery("""
                            INSERT INTO webhook_attempts (event_id, subscription_id, attempt, attempted_at, outcome,
                                                          latency_ms, next_step)
                            VALUES (:eventId, :subscriptionId, :attempt, :now, 'IN_FLIGHT', 0, 'AWAITING_OUTCOME')
                            RETURNING id
                            """)
                    .bind("eventId", claim.eventId())
                    .bind("subscriptionId", claim.subscriptionId())
                    .bind("attempt", attempt.get())
                    .bind("now", now)
                    .mapTo(Long.class)
                    .one();
            return Optional.of(new Started(id, attempt.get()));
        });
    }

    /**
     * Records the outcome of a {@link #begin begun} attempt and what follows from it, in one transaction: the attempt
     * row, the delivery's new state and the subscription's health: FAILING when the retry schedule ran out (the
     * listener raises its alert once per episode), the next probe when a probe failed, HEALTHY again with its kept
     * deliveries due at once when one is delivered, disabled for 410 Gone (with its other pending deliveries failed).
     * A claim whose lease another relay took over meanwhile still logs its attempt but leaves the delivery to that
     * relay.
     */
    public void record(Claim claim, Started started, AttemptResult result, NextStep step) {
        Instant now = now();
        jdbi.useTransaction(handle -> {
            handle.createUpdate("""
                            UPDATE webhook_attempts SET attempted_at = :attemptedAt, outcome = :outcome,
                                   status_code = :statusCode, latency_ms = :latencyMs, error = :error,
                                   response_body = :responseBody, retry_after_ms = :retryAfterMs,
                                   next_step = :nextStep, next_attempt_at = :nextAttemptAt
                            WHERE id = :id
                            """)
                    .bind("id", started.attemptId())
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
                case RETRY, ENDPOINT_FAILING -> "PENDING";
                case ENDPOINT_GONE -> "FAILED";
            };
            int owned = handle.createUpdate("""
                            UPDATE webhook_deliveries SET
                                status           = :status,
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
            switch (step.kind()) {
                case DELIVERED -> healthy(handle, claim.subscriptionId(), now);
                case ENDPOINT_FAILING -> {
                    if (owned == 1) {
                        failing(handle, claim, started, step, now);
                    }
                }
                case ENDPOINT_GONE -> {
                    String reason = "410 Gone on attempt " + started.attempt() + " of event " + claim.eventId()
                            + " at " + now;
                    handle.createUpdate("""
                                    UPDATE webhook_subscriptions SET enabled = false, disabled_reason = :reason,
                                                                     disabled_at = :now, updated_at = :now
                                    WHERE id = :id AND enabled
                                    """)
                            .bind("reason", reason)
                            .bind("now", now)
                            .bind("id", claim.subscriptionId())
                            .execute();
                    on(handle).failPending(claim.subscriptionId(), "endpoint disabled: " + reason, now);
                }
                case RETRY -> { }
            }
        });
    }

    /**
     * The endpoint answered: a FAILING subscription is HEALTHY again and its kept deliveries are due at once, oldest
     * first, each with a fresh retry schedule.
     */
    private void healthy(Handle handle, String subscriptionId, Instant now) {
        int recovered = handle.createUpdate("""
                        UPDATE webhook_subscriptions SET state = 'HEALTHY', failing_since = NULL, next_probe_at = NULL,
                                                         probe_attempts = 0, updated_at = :now
                        WHERE id = :id AND state = 'FAILING'
                        """)
                .bind("now", now)
                .bind("id", subscriptionId)
                .execute();
        if (recovered == 1) {
            handle.createUpdate("""
                            UPDATE webhook_deliveries SET next_attempt_at = :now, round_start = attempts,
                                                          updated_at = :now
                            WHERE subscription_id = :id AND status = 'PENDING'
                            """)
                    .bind("now", now)
                    .bind("id", subscriptionId)
                    .execute();
            handle.afterCommit(signal::wake);
        }
    }

    /** The retry schedule ran out (a new failing episode) or a probe failed (the next probe). */
    private void failing(Handle handle, Claim claim, Started started, NextStep step, Instant now) {
        Instant probeAt = micros(step.nextAttemptAt());
        if (claim.probe()) {
            handle.createUpdate("""
                            UPDATE webhook_subscriptions SET probe_attempts = probe_attempts + 1,
                                                             next_probe_at = :probeAt, last_error = :error,
                                                             updated_at = :now
                            WHERE id = :id AND state = 'FAILING'
                            """)
                    .bind("probeAt", probeAt)
                    .bind("error", step.reason())
                    .bind("now", now)
                    .bind("id", claim.subscriptionId())
                    .execute();
            return;
        }
        int began = handle.createUpdate("""
                        UPDATE webhook_subscriptions SET state = 'FAILING', failing_since = :now, probe_attempts = 0,
                                                         next_probe_at = :probeAt, last_error = :error,
                                                         updated_at = :now
                        WHERE id = :id AND state = 'HEALTHY'
                        """)
                .bind("probeAt", probeAt)
                .bind("error", step.reason())
                .bind("now", now)
                .bind("id", claim.subscriptionId())
                .execute();
        if (began == 1) {
            listener.failing(handle, new EndpointHealthListener.FailingEpisode(claim.subscriptionId(), claim.url(),
                    now, step.reason(), probeAt, started.attempt()));
        } else {
            // another delivery of this subscription started the episode first: its probe schedule stands
            handle.createUpdate("UPDATE webhook_subscriptions SET last_error = :error WHERE id = :id")
                    .bind("error", step.reason())
                    .bind("id", claim.subscriptionId())
                    .execute();
        }
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

    /** The outbox's backlog: deliveries waiting (PENDING), and when the oldest of them was queued (null: none). */
    public record Backlog(long pending, Instant oldestQueuedAt) {
    }

    /** The outbox's backlog now (README: Metrics, {@code keywatch_webhook_outbox_*}). */
    public Backlog backlog() {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT count(*) AS pending, min(created_at) AS oldest
                          FROM webhook_deliveries
                         WHERE status = 'PENDING'
                        """)
                .map((rs, ctx) -> new Backlog(rs.getLong("pending"), instant(rs, "oldest")))
                .one());
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
        return redeliver(subscriptionId, eventId, AuditActor.keywatch(AuditActor.SYSTEM_METHOD));
    }

    /** The same, recorded in the audit trail ({@code webhook.redelivered}) as asked by {@code by}. */
    public Optional<Delivery> redeliver(String subscriptionId, String eventId, Actor by) {
        Instant now = now();
        int updated = jdbi.inTransaction(handle -> {
            int n = handle.createUpdate("""
                            UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = :now,
                                                          round_start = attempts, claimed_until = NULL,
                                                          claim_token = NULL, delivered_at = NULL, failed_at = NULL,
                                                          updated_at = :now
                            WHERE subscription_id = :subscriptionId AND event_id = :eventId
                            """)
                    .bind("now", now)
                    .bind("subscriptionId", subscriptionId)
                    .bind("eventId", eventId)
                    .execute();
            if (n > 0) {
                on(handle).probeNow(subscriptionId, now);
                new AuditTrail(handle).record(AuditEntry.of(by, now, "webhook.redelivered", "webhook", subscriptionId,
                        null, Map.of("deliveryId", eventId)));
            }
            return n;
        });
        if (updated == 0) {
            return Optional.empty();
        }
        signal.wake();
        return find(subscriptionId, eventId);
    }

    /** What a recover re-queued. */
    public record Recovered(String subscriptionId, Instant since, Instant until, int requeued) {
    }

    /**
     * Queues again every FAILED delivery of the subscription created in {@code [since, until)}, each with its own
     * event id (so receivers can dedupe) and a fresh retry schedule. Idempotent: a delivery re-queued once is PENDING
     * (or DELIVERED) afterwards and not touched by the same call again. A FAILING subscription is probed at once.
     */
    public Recovered recover(String subscriptionId, Instant since, Instant until) {
        return recover(subscriptionId, since, until, AuditActor.keywatch(AuditActor.SYSTEM_METHOD));
    }

    /** The same, recorded in the audit trail ({@code webhook.recovered}) as asked by {@code by}. */
    public Recovered recover(String subscriptionId, Instant since, Instant until, Actor by) {
        Instant now = now();
        int requeued = jdbi.inTransaction(handle -> {
            int n = handle.createUpdate("""
                            UPDATE webhook_deliveries SET status = 'PENDING', next_attempt_at = :now,
                                                          round_start = attempts, claimed_until = NULL,
                                                          claim_token = NULL, failed_at = NULL, updated_at = :now
                            WHERE subscription_id = :subscriptionId AND status = 'FAILED'
                              AND created_at >= :since AND created_at < :until
                            """)
                    .bind("now", now)
                    .bind("subscriptionId", subscriptionId)
                    .bind("since", micros(since))
                    .bind("until", micros(until))
                    .execute();
            if (n > 0) {
                on(handle).probeNow(subscriptionId, now);
                new AuditTrail(handle).record(AuditEntry.of(by, now, "webhook.recovered", "webhook", subscriptionId,
                        null, new Recovered(subscriptionId, since, until, n)));
            }
            return n;
        });
        if (requeued > 0) {
            signal.wake();
        }
        return new Recovered(subscriptionId, since, until, requeued);
    }

    private List<Delivery> withAttempts(Handle handle, String subscriptionId, List<Delivery> deliveries) {
        Instant now = now();
        if (deliveries.isEmpty()) {
            return List.of();
        }
        Map<String, List<Attempt>> attempts = handle.createQuery("""
                        SELECT a.event_id, a.attempt, a.attempted_at, a.status_code, a.latency_ms, a.retry_after_ms,
                               a.next_step, a.next_attempt_at, a.response_body, a.error AS recorded_error,
                               a.outcome AS recorded_outcome,
                               -- in flight, but no relay holds the delivery any more: it crashed mid-send
                               a.outcome = 'IN_FLIGHT' AND (d.claimed_until IS NULL OR d.claimed_until < :now)
                                   AS orphaned
                        FROM webhook_attempts a
                        JOIN webhook_deliveries d ON d.event_id = a.event_id AND d.subscription_id = a.subscription_id
                        WHERE a.subscription_id = :subscriptionId AND a.event_id = ANY(:eventIds)
                        ORDER BY a.id
                        """)
                .bind("subscriptionId", subscriptionId)
                .bind("now", now)
                .bindArray("eventIds", String.class, deliveries.stream().map(Delivery::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("event_id"), new Attempt(rs.getInt("attempt"),
                        instant(rs, "attempted_at"),
                        rs.getBoolean("orphaned") ? "UNKNOWN" : rs.getString("recorded_outcome"),
                        (Integer) rs.getObject("status_code"), rs.getLong("latency_ms"),
                        rs.getBoolean("orphaned") ? UNKNOWN_OUTCOME : rs.getString("recorded_error"),
                        (Long) rs.getObject("retry_after_ms"), rs.getString("next_step"),
                        instant(rs, "next_attempt_at"), rs.getString("response_body"))))
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
                rs.getString("key_id"), instant(rs, "occurred_at"), rs.getString("status"),
                rs.getInt("attempts"), instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"),
                instant(rs, "delivered_at"), instant(rs, "failed_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"), List.of());
    }

    private Instant now() {
        return micros(clock.instant());
    }

    private static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
