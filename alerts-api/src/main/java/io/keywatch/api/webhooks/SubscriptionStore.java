package io.keywatch.api.webhooks;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.secrets.SecretBox;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/** Webhook subscriptions in PostgreSQL. A deleted subscription is kept (marked) but neither listed nor used. */
public final class SubscriptionStore {

    static final String COLUMNS = """
            id, url, event_types, key_owner, key_service, description, enabled, disabled_reason, disabled_at,
            secret, previous_secret, previous_secret_until, created_at, created_by, updated_at, state, failing_since,
            last_error, next_probe_at, on_behalf_of, secret_fingerprint
            """;

    /** What a create returns: the subscription and, this once, its secret. */
    public record Created(WebhookSubscription subscription, WebhookSecret secret) {
    }

    /** Longest grace during which the previous secret still signs after a rotation. */
    public static final int MAX_GRACE_HOURS = 168;
    public static final int DEFAULT_GRACE_HOURS = 24;

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecretBox box;

    /** Secrets are stored sealed by {@code box}, bound to their subscription's id. */
    public SubscriptionStore(Jdbi jdbi, Clock clock, SecretBox box) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.box = Objects.requireNonNull(box, "box");
    }

    /** Stores a new subscription with a freshly generated secret; the URL must have passed the SSRF guard. */
    public Created create(String url, List<WebhookEventType> types, String owner, String service,
                          String description, String actor) {
        return create(url, types, owner, service, description, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail as made by {@code by} (the secret only as its fingerprint). */
    public Created create(String url, List<WebhookEventType> types, String owner, String service,
                          String description, String actor, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        WebhookSecret secret = WebhookSecret.generate();
        String id = "wh_" + UUID.randomUUID().toString().replace("-", "");
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        WebhookSubscription created = jdbi.inTransaction(handle -> {
            WebhookSubscription stored = handle.createQuery("""
                        INSERT INTO webhook_subscriptions (id, url, description, event_types, key_owner, key_service,
                                                           secret, secret_fingerprint, created_at, created_by,
                                                           on_behalf_of, updated_at)
                        VALUES (:id, :url, :description, :types, :owner, :service, :secret, :fingerprint, :now,
                                :actor, :onBehalfOf, :now)
                        RETURNING
                        """ + COLUMNS)
                .bind("id", id)
                .bind("url", url)
                .bindByType("description", description, String.class)
                .bindArray("types", String.class, types.stream().map(WebhookEventType::wireName).toList())
                .bindByType("owner", owner, String.class)
                .bindByType("service", service, String.class)
                .bind("secret", box.seal(secret.reveal(), id))
                .bind("fingerprint", secret.fingerprint())
                .bind("now", now)
                .bind("actor", actor)
                .bindByType("onBehalfOf", onBehalfOf, String.class)
                .map(SubscriptionStore::map)
                .one();
            new AuditTrail(handle).record(AuditEntry.of(by, now, "webhook.created", "webhook", id, null, stored));
            return stored;
        });
        return new Created(created, secret);
    }

    public Optional<WebhookSubscription> find(String id) {
        return jdbi.withHandle(handle -> on(handle).find(id));
    }

    /** The subscriptions as seen through {@code handle}: the caller's transaction. */
    SubscriptionRows on(Handle handle) {
        return new SubscriptionRows(handle);
    }

    /** Every subscription not deleted, newest first. */
    public List<WebhookSubscription> list() {
        return list(null);
    }

    /** Every subscription not deleted in {@code state} (HEALTHY, FAILING; null for any), newest first. */
    public List<WebhookSubscription> list(String state) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM webhook_subscriptions WHERE deleted_at IS NULL"
                        + " AND (CAST(:state AS text) IS NULL OR state = :state) ORDER BY created_at DESC, id DESC")
                .bindByType("state", state, String.class)
                .map(SubscriptionStore::map)
                .list());
    }

    /** Marks it deleted; its pending deliveries fail. Returns false for an unknown id. */
    public boolean delete(String id, String actor) {
        return delete(id, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail as made by {@code by}. */
    public boolean delete(String id, String actor, Actor by) {
        String onBehalfOf = by.onBehalfOf();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return jdbi.inTransaction(handle -> {
            Optional<WebhookSubscription> before = on(handle).find(id);
            int deleted = handle.createUpdate("""
                            UPDATE webhook_subscriptions SET deleted_at = :now, deleted_by = :actor, enabled = false,
                                                             deleted_on_behalf_of = :onBehalfOf, updated_at = :now
                            WHERE id = :id AND deleted_at IS NULL
                            """)
                    .bind("id", id)
                    .bind("now", now)
                    .bind("actor", actor)
                    .bindByType("onBehalfOf", onBehalfOf, String.class)
                    .execute();
            if (deleted == 1) {
                new DeliveryRows(handle).failPending(id, "subscription deleted by " + actor, now);
                new AuditTrail(handle).record(AuditEntry.of(by, now, "webhook.deleted", "webhook", id,
                        before.orElse(null), null));
            }
            return deleted == 1;
        });
    }

    /**
     * Gives the subscription a new secret, shown this once. For {@code graceHours} (0 to {@value #MAX_GRACE_HOURS})
     * the one it replaces still signs too (both signatures in {@code webhook-signature}), so receivers can switch
     * without losing a delivery; 0 drops it at once. A rotation during a grace ends the older one's grace. Recorded
     * in the audit trail as {@code webhook.secret-rotated}, with fingerprints only. Empty for an unknown id.
     */
    public Optional<Created> rotateSecret(String id, int graceHours, String actor, Actor by) {
        if (graceHours < 0 || graceHours > MAX_GRACE_HOURS) {
            throw new IllegalArgumentException("graceHours must be 0 to " + MAX_GRACE_HOURS + ", got " + graceHours);
        }
        WebhookSecret secret = WebhookSecret.generate();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return jdbi.inTransaction(handle -> {
            Optional<WebhookSubscription> before = handle.createQuery("SELECT " + COLUMNS
                            + " FROM webhook_subscriptions WHERE id = :id AND deleted_at IS NULL FOR UPDATE")
                    .bind("id", id)
                    .map(SubscriptionStore::map)
                    .findOne();
            if (before.isEmpty()) {
                return Optional.<Created>empty();
            }
            boolean grace = graceHours > 0;
            WebhookSubscription after = handle.createQuery("""
                            UPDATE webhook_subscriptions
                            SET previous_secret = CASE WHEN :grace THEN secret END,
                                previous_secret_until = CASE WHEN :grace THEN CAST(:until AS timestamptz) END,
                                secret = :secret, secret_fingerprint = :fingerprint, updated_at = :now
                            WHERE id = :id
                            RETURNING
                            """ + COLUMNS)
                    .bind("id", id)
                    .bind("grace", grace)
                    .bind("until", now.plus(graceHours, ChronoUnit.HOURS))
                    .bind("secret", box.seal(secret.reveal(), id))
                    .bind("fingerprint", secret.fingerprint())
                    .bind("now", now)
                    .map(SubscriptionStore::map)
                    .one();
            new AuditTrail(handle).record(AuditEntry.of(by, now, "webhook.secret-rotated", "webhook", id,
                    before.get(), after));
            return Optional.of(new Created(after, secret));
        });
    }

    static WebhookSubscription map(ResultSet rs, StatementContext ctx) throws SQLException {
        Array types = rs.getArray("event_types");
        String secret = rs.getString("secret");
        return new WebhookSubscription(
                rs.getString("id"),
                rs.getString("url"),
                types == null ? List.of() : Arrays.asList((String[]) types.getArray()),
                rs.getString("key_owner"),
                rs.getString("key_service"),
                rs.getString("description"),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                instant(rs, "disabled_at"),
                fingerprint(rs.getString("secret_fingerprint"), secret),
                instant(rs, "created_at"),
                rs.getString("created_by"),
                rs.getString("on_behalf_of"),
                instant(rs, "updated_at"),
                rs.getString("state"),
                instant(rs, "failing_since"),
                rs.getString("last_error"),
                instant(rs, "next_probe_at"),
                secret,
                rs.getString("previous_secret"),
                instant(rs, "previous_secret_until"));
    }

    /** The stored fingerprint; a clear secret left from before V9 (until start-up seals it) gives its own. */
    private static String fingerprint(String stored, String secret) {
        if (stored != null) {
            return stored;
        }
        return SecretBox.isSealed(secret) ? null : WebhookSecret.parse(secret).fingerprint();
    }

}
