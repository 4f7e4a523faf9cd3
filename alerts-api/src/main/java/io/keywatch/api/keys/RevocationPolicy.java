package io.keywatch.api.keys;

import io.keywatch.events.Alert;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import java.util.Optional;

/**
 * Revokes the key of every alert at or above a minimum severity; without a minimum it never acts. Two things hold
 * it back: a silence covering the alert, and a key registered with {@code autoRevoke=false}.
 */
public final class RevocationPolicy {

    /** What the policy does about one alert. */
    public enum Decision {
        /** Below the minimum severity, or automatic revocation is off. */
        NONE,
        REVOKE,
        /** The alert is silenced. */
        SKIP_SILENCED,
        /** The key is registered with autoRevoke=false. */
        SKIP_PROTECTED
    }

    private final Severity minimum;
    private final KeyRevoker revoker;

    /** @param minimum null disables automatic revocation */
    public RevocationPolicy(Severity minimum, KeyRevoker revoker) {
        this.minimum = minimum;
        this.revoker = revoker;
    }

    public boolean appliesTo(Alert alert) {
        return minimum != null && alert.severity().isAtLeast(minimum);
    }

    /**
     * @param silenced whether a silence covered the alert when it arrived
     * @param metadata the key's registry entry, null when it has none
     */
    public Decision decide(Alert alert, boolean silenced, KeyMetadata metadata) {
        if (!appliesTo(alert)) {
            return Decision.NONE;
        }
        if (silenced) {
            return Decision.SKIP_SILENCED;
        }
        if (metadata != null && !metadata.autoRevokeAllowed()) {
            return Decision.SKIP_PROTECTED;
        }
        return Decision.REVOKE;
    }

    /** Revokes the alert's key (idempotent), whatever its registry entry says; callers decide first. */
    public KeyRecord revoke(Alert alert) {
        return revoker.revoke(alert.keyId(), reasonFor(alert), actorFor(alert));
    }

    /**
     * Revokes the alert's key if its severity says so (idempotent), without looking at silences or the registry;
     * returns the key's state when it did. Prefer {@link #decide} and {@link #revoke}.
     */
    public Optional<KeyRecord> apply(Alert alert) {
        if (!appliesTo(alert)) {
            return Optional.empty();
        }
        return Optional.of(revoke(alert));
    }

    public static String reasonFor(Alert alert) {
        return "automatic: " + alert.rule() + " alert " + alert.id() + " (" + alert.severity() + ")";
    }

    public static String actorFor(Alert alert) {
        return "policy:" + alert.rule();
    }
}
