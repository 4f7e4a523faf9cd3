package io.keywatch.api.keys;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.Severity;
import io.keywatch.events.secrets.SecretFingerprinter;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which alerts revoke their key automatically: by default every alert at or above a minimum severity; with rules
 * ({@code KEYWATCH_REVOKE_RULES}), only alerts of the listed rules, each at or above its own severity. Without a
 * minimum it never acts, and three rules never revoke anything ({@link #NEVER_REVOKES}): the guard's own alert
 * ({@code REVOCATION_GUARD_TRIPPED}), a webhook endpoint's ({@code WEBHOOK_FAILING}, about a subscription), and
 * {@code SECRET_IN_TELEMETRY}, whose key id is the fingerprint of a secret a
 * service published by mistake: it names no registered key, and the fix is rotating the secret at its provider. For
 * the same reason no alert on a fingerprint ({@code redacted:...}) revokes. Two things hold it back: a silence covering
 * the alert, and a key registered with {@code autoRevoke=false}. A canary (decoy) key is never revoked automatically,
 * whatever the rule: revoking it would tell the attacker it was noticed; a person may still revoke it by hand.
 */
public final class RevocationPolicy {

    /** What the policy does about one alert. */
    public enum Decision {
        /** Below the minimum severity, not a listed rule, or automatic revocation is off. */
        NONE,
        REVOKE,
        /** The alert is silenced. */
        SKIP_SILENCED,
        /** The key is registered with autoRevoke=false. */
        SKIP_PROTECTED,
        /** The key is a canary (decoy): revoking it would tell the attacker it was noticed. */
        SKIP_CANARY
    }

    /** Rules whose alerts never revoke a key, whatever the settings say. */
    public static final Set<AlertRule> NEVER_REVOKES =
            Collections.unmodifiableSet(EnumSet.of(AlertRule.REVOCATION_GUARD_TRIPPED, AlertRule.SECRET_IN_TELEMETRY,
                    AlertRule.WEBHOOK_FAILING));

    private final Severity minimum;
    private final Map<AlertRule, Severity> rules;
    private final KeyRevoker revoker;

    /**
     * @param minimum null disables automatic revocation
     * @param rules   null: every rule at {@code minimum}; otherwise the rules that revoke and their minimum severity
     */
    public RevocationPolicy(Severity minimum, Map<AlertRule, Severity> rules, KeyRevoker revoker) {
        this.minimum = minimum;
        this.rules = rules == null ? null : Map.copyOf(rules);
        this.revoker = revoker;
    }

    /** @param minimum null disables automatic revocation */
    public RevocationPolicy(Severity minimum, KeyRevoker revoker) {
        this(minimum, null, revoker);
    }

    public boolean appliesTo(Alert alert) {
        if (minimum == null || NEVER_REVOKES.contains(alert.rule())
                || SecretFingerprinter.isFingerprint(alert.keyId())) {
            return false;
        }
        if (rules == null) {
            return alert.severity().isAtLeast(minimum);
        }
        Severity ruleMinimum = rules.get(alert.rule());
        return ruleMinimum != null && alert.severity().isAtLeast(ruleMinimum);
    }

    /**
     * @param silenced whether a silence covered the alert when it arrived
     * @param metadata the key's registry entry, null when it has none
     */
    public Decision decide(Alert alert, boolean silenced, KeyMetadata metadata) {
        if (!appliesTo(alert)) {
            return Decision.NONE;
        }
        if (metadata != null && metadata.canaryKey()) {
            return Decision.SKIP_CANARY;
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
