package io.keywatch.api.keys;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes keys: stores the revocation, then announces the key's full state (metadata included) on Kafka. Idempotent:
 * revoking a revoked key returns the existing revocation and publishes nothing, unless that revocation's
 * announcement had failed, in which case it is published now. (A transactional outbox, due in a later issue, will
 * take over the retrying.)
 */
public final class KeyRevoker {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRevoker.class);

    private final KeyStore keys;
    private final KeyStatePublisher publisher;
    private final Clock clock;

    public KeyRevoker(KeyStore keys, KeyStatePublisher publisher, Clock clock) {
        this.keys = keys;
        this.publisher = publisher;
        this.clock = clock;
    }

    public KeyRevoker(KeyStore keys, KeyStatePublisher publisher) {
        this(keys, publisher, Clock.systemUTC());
    }

    /**
     * Revokes the key and returns its state; throws {@link KeyStatePublishException} when the revocation is stored
     * but Kafka did not acknowledge it (calling again publishes it).
     */
    public KeyRecord revoke(String keyId, String reason, String actor) {
        // publish after the commit: the rest of keywatch must never hear of a revocation the registry lacks
        Revocation revocation = keys.revoke(keyId, reason, actor, clock.instant().truncatedTo(ChronoUnit.MICROS));
        if (revocation.changed()) {
            LOG.info("Revoked key {} by {}: {}", keyId, actor, reason);
        }
        if (revocation.key().statePublished()) {
            return revocation.key();
        }
        return keys.announce(keyId, publisher);
    }

    /**
     * Announces stored changes (revocations and registrations) whose announcement failed earlier, for instance before
     * a crash; returns how many it published. Called at start-up.
     */
    public int republishPending() {
        int published = 0;
        for (KeyRecord key : keys.unpublished(1_000)) {
            keys.announce(key.keyId(), publisher);
            published++;
        }
        if (published > 0) {
            LOG.info("Published {} key state change(s) that had not been announced", published);
        }
        return published;
    }
}
