package io.keywatch.api.webhooks;

import io.keywatch.api.secrets.SealedSecretException;
import io.keywatch.api.secrets.SecretBox;
import java.util.List;
import java.util.Objects;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up step that leaves every stored webhook secret sealed under the encrypting key: seals the clear ones
 * left from before V9 and re-seals those under another listed key (the KEK's rotation). Idempotent: a second run
 * finds nothing to do. A row that cannot be opened (its key no longer listed, or altered) is counted and left as it
 * is: its deliveries fail as unsendable, with the reason, until the key is listed again.
 */
public final class WebhookSecretSealing {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookSecretSealing.class);

    /** What one run did: counts only. */
    public record Result(int sealed, int resealed, int unreadable) {
    }

    private record Row(String id, String secret, String previousSecret) {
    }

    private final Jdbi jdbi;
    private final SecretBox box;

    public WebhookSecretSealing(Jdbi jdbi, SecretBox box) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
        this.box = Objects.requireNonNull(box, "box");
    }

    public Result run() {
        String kid = box.encryptingKeyId();
        // deleted subscriptions included: their secrets must not stay readable either
        List<Row> rows = jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, secret, previous_secret FROM webhook_subscriptions
                        WHERE split_part(secret, ':', 1) <> :kid
                           OR (previous_secret IS NOT NULL AND split_part(previous_secret, ':', 1) <> :kid)
                        ORDER BY id
                        """)
                .bind("kid", kid)
                .map((rs, ctx) -> new Row(rs.getString("id"), rs.getString("secret"),
                        rs.getString("previous_secret")))
                .list());
        int sealed = 0;
        int resealed = 0;
        int unreadable = 0;
        for (Row row : rows) {
            try {
                String secret = reseal(row.secret(), row.id());
                String previous = row.previousSecret() == null ? null : reseal(row.previousSecret(), row.id());
                String fingerprint = WebhookSecret.parse(box.open(secret, row.id())).fingerprint();
                // only if nobody changed it meanwhile (another instance starting, a rotation): else theirs stands
                int updated = jdbi.withHandle(handle -> handle.createUpdate("""
                                UPDATE webhook_subscriptions
                                SET secret = :secret, previous_secret = :previous, secret_fingerprint = :fingerprint
                                WHERE id = :id AND secret = :oldSecret
                                  AND previous_secret IS NOT DISTINCT FROM :oldPrevious
                                """)
                        .bind("id", row.id())
                        .bind("secret", secret)
                        .bindByType("previous", previous, String.class)
                        .bind("fingerprint", fingerprint)
                        .bind("oldSecret", row.secret())
                        .bindByType("oldPrevious", row.previousSecret(), String.class)
                        .execute());
                if (updated == 1) {
                    if (SecretBox.isSealed(row.secret())) {
                        resealed++;
                    } else {
                        sealed++;
                    }
                }
            } catch (SealedSecretException | IllegalArgumentException e) {
                // the reason names no secret; the id is ours
                unreadable++;
                LOG.warn("Webhook subscription {}: stored secret left as it is: {}", row.id(), e.getMessage());
            }
        }
        Result result = new Result(sealed, resealed, unreadable);
        LOG.info("Webhook secrets at rest under key {}: {} sealed from clear, {} re-sealed from another key, "
                + "{} unreadable", kid, sealed, resealed, unreadable);
        return result;
    }

    /** Clear: sealed; sealed under another key: opened and sealed again; under the encrypting key: as it is. */
    private String reseal(String stored, String id) {
        if (!SecretBox.isSealed(stored)) {
            WebhookSecret.parse(stored); // refuses what is not a whsec_ secret, without quoting it
            return box.seal(stored.strip(), id);
        }
        return box.needsSealing(stored) ? box.seal(box.open(stored, id), id) : stored;
    }
}
