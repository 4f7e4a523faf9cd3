package io.keywatch.api.keys;

import io.keywatch.api.audit.AuditActor;
import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.errors.StateConflictException;
import io.keywatch.events.SafeText;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes and reinstates keys: stores the change (with, in the same transaction, what its {@link KeyChangeListener}
 * adds: the audit entry and the webhook event), then announces the key's full state (metadata included) on Kafka.
 * Idempotent: revoking a revoked key returns the existing revocation and publishes nothing, unless that revocation's
 * announcement had failed, in which case it is published now.
 */
public final class KeyRevoker {

    private static final Logger LOG = LoggerFactory.getLogger(KeyRevoker.class);
    /** How much of a revocation reason a log line shows. */
    private static final int REASON_LOG_CHARS = 200;

    private final KeyStore keys;
    private final KeyStatePublisher publisher;
    private final Clock clock;
    private final KeyChangeListener listener;

    public KeyRevoker(KeyStore keys, KeyStatePublisher publisher, Clock clock, KeyChangeListener listener) {
        this.keys = keys;
        this.publisher = publisher;
        this.clock = clock;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    public KeyRevoker(KeyStore keys, KeyStatePublisher publisher, Clock clock) {
        this(keys, publisher, clock, KeyChangeListener.NONE);
    }

    public KeyRevoker(KeyStore keys, KeyStatePublisher publisher) {
        this(keys, publisher, Clock.systemUTC());
    }

    /**
     * Revokes the key and returns its state; throws {@link KeyStatePublishException} when the revocation is stored
     * but Kafka did not acknowledge it (calling again publishes it).
     */
    public KeyRecord revoke(String keyId, String reason, String actor) {
        return revoke(keyId, reason, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail ({@code key.revoked}) as made by {@code by}. */
    public KeyRecord revoke(String keyId, String reason, String actor, Actor by) {
        // publish after the commit: the rest of keywatch must never hear of a revocation the registry lacks
        Revocation revocation = keys.inTransaction(handle -> {
            KeyRecord before = keys.on(handle).find(keyId, true).orElse(null);
            Revocation r = keys.on(handle).revoke(keyId, reason, actor, by.onBehalfOf(), now());
            if (r.changed()) {
                listener.revoked(handle, r.key(), actor);
                new AuditTrail(handle).record(AuditEntry.of(by, r.key().changedAt(), "key.revoked", "key", keyId,
                        before, r.key()));
            }
            return r;
        });
        if (revocation.changed()) {
            // a reason is free text a person typed, and may quote the leaked secret: the log shows it redacted
            LOG.info("Revoked key {} by {}: {}", keyId, actor, SafeText.escape(reason, REASON_LOG_CHARS));
        }
        return announce(revocation.key());
    }

    /**
     * Makes a revoked key active again and announces it; empty when keywatch has no row for the key. Throws
     * {@link StateConflictException} when the key is not revoked.
     */
    public Optional<KeyRecord> reinstate(String keyId, String reason, String actor) {
        return reinstate(keyId, reason, actor, AuditActor.keywatch(actor));
    }

    /** The same, recorded in the audit trail ({@code key.reinstated}) as made by {@code by}. */
    public Optional<KeyRecord> reinstate(String keyId, String reason, String actor, Actor by) {
        Optional<Revocation> result = keys.inTransaction(handle -> {
            KeyRecord before = keys.on(handle).find(keyId, true).orElse(null);
            Optional<Revocation> r = keys.on(handle).reinstate(keyId, reason, actor, by.onBehalfOf(), now());
            if (r.isPresent() && r.get().changed()) {
                listener.reinstated(handle, r.get().key(), actor);
                new AuditTrail(handle).record(AuditEntry.of(by, r.get().key().changedAt(), "key.reinstated", "key",
                        keyId, before, r.get().key()));
            }
            return r;
        });
        if (result.isEmpty()) {
            return Optional.empty();
        }
        if (!result.get().changed()) {
            throw new StateConflictException("cannot reinstate key '" + keyId + "': it is "
                    + result.get().key().status());
        }
        LOG.info("Reinstated key {} by {}: {}", keyId, actor, SafeText.escape(reason, REASON_LOG_CHARS));
        return Optional.of(announce(result.get().key()));
    }

    /** Publishes the key's state unless Kafka already acknowledged it. */
    public KeyRecord announce(KeyRecord key) {
        if (key.statePublished()) {
            return key;
        }
        return keys.announce(key.keyId(), publisher);
    }

    /** Publishes the states of those keys whose latest change Kafka has not acknowledged yet. */
    public void announceIfPending(java.util.Collection<String> keyIds) {
        for (String keyId : keys.unpublishedAmong(keyIds)) {
            keys.announce(keyId, publisher);
        }
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

    /** PostgreSQL keeps microseconds. */
    private java.time.Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
