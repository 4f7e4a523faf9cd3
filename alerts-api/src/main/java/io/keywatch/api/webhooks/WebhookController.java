package io.keywatch.api.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.http.Actors;
import io.keywatch.api.http.JsonBodies;
import io.keywatch.api.http.RequestParams;
import io.keywatch.api.input.InputText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Webhook subscriptions and their delivery log over HTTP:
 * <pre>
 * POST   /api/v1/webhooks                        {url, eventTypes[], owner, service, description} → 201 with the secret
 * GET    /api/v1/webhooks                        no secrets, fingerprints only
 * GET    /api/v1/webhooks/{id}
 * DELETE /api/v1/webhooks/{id}                   204
 * GET    /api/v1/webhooks/{id}/deliveries        ?status=PENDING|DELIVERED|FAILED &amp;limit &amp;cursor, newest first
 * POST   /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver   202, same webhook-id
 * POST   /api/v1/webhooks/{id}/recover       {since, until?} → 202: FAILED deliveries created in
 *                                            [since, until) queued again, same webhook-ids; at most
 *                                            {@value #MAX_RECOVER_DAYS} days
 * POST   /api/v1/webhooks/{id}/rotate-secret {graceHours?} → 200 with the new secret, once
 * </pre>
 */
public final class WebhookController {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    static final String EXAMPLE = "{\"url\":\"https://issuer.example.com/hooks/keywatch\","
            + "\"eventTypes\":[\"key.revoked\",\"key.reinstated\"],\"owner\":\"team-payments\"}";
    private static final Set<String> DELIVERY_STATUSES = Set.of("PENDING", "DELIVERED", "FAILED");
    private static final Set<String> STATES = Set.of("HEALTHY", "FAILING");
    static final int MAX_RECOVER_DAYS = 31;

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final SsrfGuard guard;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookController(SubscriptionStore subscriptions, DeliveryStore deliveries, SsrfGuard guard,
                             ObjectMapper json, Clock clock) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.guard = guard;
        this.json = json;
        this.clock = clock;
    }

    public WebhookController(SubscriptionStore subscriptions, DeliveryStore deliveries, SsrfGuard guard,
                             ObjectMapper json) {
        this(subscriptions, deliveries, guard, json, Clock.systemUTC());
    }

    public void create(Context ctx) {
        Actor actor = Actors.context(ctx);
        SubscriptionRequest body = JsonBodies.bind(ctx, SubscriptionRequest.class, EXAMPLE);
        String url = body.url();
        // after the cheap checks: the guard resolves the host
        SsrfGuard.Verdict verdict = guard.check(url);
        if (!verdict.allowed()) {
            throw new BadRequestResponse("url: " + InputText.escape(verdict.reason(), 300));
        }
        SubscriptionStore.Created created = subscriptions.create(verdict.uri().toString(), body.types(),
                body.owner(), body.service(), body.description(), actor.identity(), actor);
        ObjectNode out = json.valueToTree(created.subscription());
        // shown this once: keywatch never shows it again
        out.put("secret", created.secret().reveal());
        ctx.status(HttpStatus.CREATED).json(out);
    }

    /** {@code ?state=FAILING} lists the endpoints being probed. */
    public void list(Context ctx) {
        String state = RequestParams.parsed(ctx, "state", WebhookController::state);
        ctx.json(Map.of("items", subscriptions.list(state)));
    }

    public void get(Context ctx) {
        ctx.json(subscription(ctx));
    }

    public void delete(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        Actor actor = Actors.context(ctx);
        if (!subscriptions.delete(id, actor.identity(), actor)) {
            throw notFound(id);
        }
        ctx.status(HttpStatus.NO_CONTENT);
    }

    public void deliveries(Context ctx) {
        String status = RequestParams.parsed(ctx, "status", WebhookController::deliveryStatus);
        int limit = RequestParams.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = RequestParams.cursor(ctx);
        WebhookSubscription subscription = subscription(ctx);
        try {
            ctx.json(deliveries.list(subscription.id(), status, limit, cursor));
        } catch (IllegalArgumentException e) {
            throw new BadRequestResponse("cursor: " + e.getMessage());
        }
    }

    public void redeliver(Context ctx) {
        String deliveryId = RequestParams.idParam(ctx, "deliveryId");
        WebhookSubscription subscription = subscription(ctx);
        if (!subscription.enabled()) {
            throw new io.javalin.http.ConflictResponse("webhook '" + subscription.id() + "' is disabled ("
                    + subscription.disabledReason() + "); create a new subscription for a working URL");
        }
        DeliveryStore.Delivery delivery = deliveries.redeliver(subscription.id(), deliveryId, Actors.context(ctx))
                .orElseThrow(() ->
                new NotFoundResponse("webhook '" + subscription.id() + "' has no delivery "
                        + InputText.quote(deliveryId)));
        ctx.status(HttpStatus.ACCEPTED).json(delivery);
    }

    /**
     * Queues the subscription's FAILED deliveries created in {@code [since, until)} again (Svix's "recover"): what an
     * owner asks for after fixing an endpoint that was disabled or whose deliveries could not be sent.
     */
    public void recover(Context ctx) {
        RecoveryWindow body = JsonBodies.bind(ctx, RecoveryWindow.class, RecoveryWindow.EXAMPLE);
        Instant since = body.sinceInstant();
        Instant now = clock.instant();
        Instant until = body.untilInstant();
        if (until == null) {
            until = now;
        }
        if (since.isAfter(now)) {
            throw new BadRequestResponse("since must not be in the future, got " + since);
        }
        if (!until.isAfter(since)) {
            throw new BadRequestResponse("until must be after since, got since " + since + " and until " + until);
        }
        if (Duration.between(since, until).compareTo(Duration.ofDays(MAX_RECOVER_DAYS)) > 0) {
            throw new BadRequestResponse("until must be at most " + MAX_RECOVER_DAYS + " days after since; "
                    + "recover a longer time in several calls");
        }
        WebhookSubscription subscription = subscription(ctx);
        if (!subscription.enabled()) {
            throw new io.javalin.http.ConflictResponse("webhook '" + subscription.id() + "' is disabled ("
                    + subscription.disabledReason() + "); create a new subscription for a working URL");
        }
        ctx.status(HttpStatus.ACCEPTED).json(deliveries.recover(subscription.id(), since, until, Actors.context(ctx)));
    }

    /**
     * Gives the subscription a new secret, shown in this answer only; the old one keeps signing (a second
     * {@code v1,} signature) for {@code graceHours} (default {@value SubscriptionStore#DEFAULT_GRACE_HOURS}, at most
     * {@value SubscriptionStore#MAX_GRACE_HOURS}; 0 drops it at once).
     */
    public void rotateSecret(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        int grace = JsonBodies.bindOptional(ctx, SecretRotation.class, SecretRotation.EXAMPLE).graceHours();
        Actor actor = Actors.context(ctx);
        SubscriptionStore.Created rotated = subscriptions.rotateSecret(id, grace, actor.identity(), actor)
                .orElseThrow(() -> notFound(id));
        ObjectNode out = json.valueToTree(rotated.subscription());
        // shown this once: keywatch never shows it again
        out.put("secret", rotated.secret().reveal());
        out.put("previousSecretValidUntil", rotated.subscription().previousSecretUntil() == null ? null
                : rotated.subscription().previousSecretUntil().toString());
        ctx.json(out);
    }

    private WebhookSubscription subscription(Context ctx) {
        String id = RequestParams.idParam(ctx, "id");
        return subscriptions.find(id).orElseThrow(() -> notFound(id));
    }

    private static NotFoundResponse notFound(String id) {
        return new NotFoundResponse("no webhook subscription " + InputText.quote(id));
    }

    private static String state(String value) {
        String state = value.toUpperCase(Locale.ROOT);
        if (!STATES.contains(state)) {
            throw new IllegalArgumentException("unknown state " + InputText.quote(value)
                    + ", expected HEALTHY or FAILING");
        }
        return state;
    }

    private static String deliveryStatus(String value) {
        String status = value.toUpperCase(Locale.ROOT);
        if (!DELIVERY_STATUSES.contains(status)) {
            throw new IllegalArgumentException("unknown status '" + value + "', expected PENDING, DELIVERED or FAILED");
        }
        return status;
    }
}
