package io.keywatch.api.keys;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.auth.Actor;
import io.keywatch.events.KeyMetadata;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers keys' metadata: stores the entry, then announces the key's full state on Kafka so that the topology knows
 * every key's owner, scopes, limits and thresholds. Same guarantees as {@link KeyRevoker}: store, commit, publish,
 * mark; a failed announcement is retried by the next change of the key or at start-up.
 */
public final class KeyRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRegistry.class);

    private final KeyStore keys;
    private final KeyStatePublisher publisher;
    private final Clock clock;

    public KeyRegistry(KeyStore keys, KeyStatePublisher publisher, Clock clock) {
        this.keys = keys;
        this.publisher = publisher;
        this.clock = clock;
    }

    public KeyRegistry(KeyStore keys, KeyStatePublisher publisher) {
        this(keys, publisher, Clock.systemUTC());
    }

    /**
     * Creates or replaces the key's entry and announces it; throws {@link KeyStatePublishException} when the entry is
     * stored but Kafka did not acknowledge it (registering again publishes it).
     */
    public Registration register(String keyId, KeyMetadata metadata, String actor) {
        return register(keyId, metadata, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail as made by {@code by}. */
    public Registration register(String keyId, KeyMetadata metadata, String actor, Actor by) {
        Registration registration = keys.register(keyId, metadata, actor,
                clock.instant().truncatedTo(ChronoUnit.MICROS), by);
        LOG.info("{} key {} by {}", registration.created() ? "Registered" : "Updated registry entry of", keyId, actor);
        if (registration.key().statePublished()) {
            return registration;
        }
        return new Registration(keys.announce(keyId, publisher), registration.created());
    }
}
