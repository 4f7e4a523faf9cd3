package io.keywatch.api.keys;

import io.keywatch.events.Alert;
import io.keywatch.events.Severity;
import java.util.Optional;

/** Revokes the key of every alert at or above a minimum severity; without a minimum it never acts. */
public final class RevocationPolicy {

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

    /** Revokes the alert's key if the policy says so (idempotent); returns the key's state when it did. */
    public Optional<KeyRecord> apply(Alert alert) {
        if (!appliesTo(alert)) {
            return Optional.empty();
        }
        return Optional.of(revoker.revoke(alert.keyId(), reasonFor(alert), actorFor(alert)));
    }

    public static String reasonFor(Alert alert) {
        return "automatic: " + alert.rule() + " alert " + alert.id() + " (" + alert.severity() + ")";
    }

    public static String actorFor(Alert alert) {
        return "policy:" + alert.rule();
    }
}
