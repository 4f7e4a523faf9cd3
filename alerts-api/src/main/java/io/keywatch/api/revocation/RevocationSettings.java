package io.keywatch.api.revocation;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Env;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * How automatic revocation behaves, from {@code KEYWATCH_REVOKE_*} environment variables. Pure: reading the
 * settings touches nothing.
 *
 * @param rules        {@code KEYWATCH_REVOKE_RULES}: the rules that revoke automatically, each with its minimum
 *                     severity ({@code VOLUME_SPIKE:CRITICAL,AUTH_FAILURE_BURST:HIGH}); null (unset) means every rule
 *                     at {@code KEYWATCH_AUTO_REVOKE_MIN_SEVERITY}; empty ({@code NONE}) means no rule
 * @param dryRun       {@code KEYWATCH_REVOKE_DRY_RUN}: decide and audit (DRY_RUN) but revoke nothing
 * @param maxPerWindow {@code KEYWATCH_REVOKE_MAX_PER_WINDOW}: automatic revocations allowed per window; past it
 *                     decisions wait for a person (0: every automatic revocation waits)
 * @param window       {@code KEYWATCH_REVOKE_WINDOW_MINUTES}: the guard's sliding window
 */
public record RevocationSettings(Map<AlertRule, Severity> rules, boolean dryRun, int maxPerWindow, Duration window) {

    public static final int DEFAULT_MAX_PER_WINDOW = 20;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final RevocationSettings DEFAULTS =
            new RevocationSettings(null, false, DEFAULT_MAX_PER_WINDOW, DEFAULT_WINDOW);
    static final int MAX_WINDOW_MINUTES = 24 * 60;

    public RevocationSettings {
        if (rules != null) {
            refuseRulesThatNeverRevoke(rules);
            rules = rules.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(rules));
        }
        if (maxPerWindow < 0) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_MAX_PER_WINDOW must not be negative, got "
                    + maxPerWindow);
        }
        Objects.requireNonNull(window, "window");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_WINDOW_MINUTES must be positive, got " + window);
        }
    }

    /** Settings from the environment; anything unset keeps its default; a bad value names its variable. */
    public static RevocationSettings fromEnv(Map<String, String> env) {
        Env vars = Env.of(env);
        return new RevocationSettings(
                parseRules(env.get("KEYWATCH_REVOKE_RULES")),
                vars.bool("KEYWATCH_REVOKE_DRY_RUN", false),
                vars.integer("KEYWATCH_REVOKE_MAX_PER_WINDOW", DEFAULT_MAX_PER_WINDOW, 0, 1_000_000),
                // not Env.minutes: 0 is no window at all here, not "off"
                Duration.ofMinutes(vars.integer("KEYWATCH_REVOKE_WINDOW_MINUTES",
                        (int) DEFAULT_WINDOW.toMinutes(), 1, MAX_WINDOW_MINUTES)));
    }

    /**
     * Reads {@code RULE:SEVERITY,...}; a rule without a severity means CRITICAL; {@code NONE} or {@code OFF} means no
     * rule; null or blank means unset (every rule at the minimum severity).
     */
    public static Map<AlertRule, Severity> parseRules(String spec) {
        if (spec == null || spec.isBlank()) {
            return null;
        }
        String normalized = spec.strip().toUpperCase(Locale.ROOT);
        if (normalized.equals("NONE") || normalized.equals("OFF")) {
            return Map.of();
        }
        Map<AlertRule, Severity> rules = new EnumMap<>(AlertRule.class);
        for (String raw : normalized.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String ruleName = colon < 0 ? entry : entry.substring(0, colon).strip();
            AlertRule rule;
            try {
                rule = AlertRule.valueOf(ruleName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES: unknown rule '" + ruleName
                        + "' in entry '" + entry + "'; write RULE:SEVERITY entries such as VOLUME_SPIKE:CRITICAL");
            }
            Severity severity = Severity.CRITICAL;
            if (colon >= 0) {
                try {
                    severity = Severity.parse(entry.substring(colon + 1));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES: entry '" + entry + "': "
                            + e.getMessage());
                }
            }
            if (rules.put(rule, severity) != null) {
                throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES lists " + rule + " twice");
            }
        }
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES lists no rule; write NONE to revoke nothing "
                    + "automatically");
        }
        refuseRulesThatNeverRevoke(rules);
        return rules;
    }

    private static void refuseRulesThatNeverRevoke(Map<AlertRule, Severity> rules) {
        if (rules.containsKey(AlertRule.REVOCATION_GUARD_TRIPPED)) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list REVOCATION_GUARD_TRIPPED: "
                    + "the guard's own alert never revokes a key");
        }
        if (rules.containsKey(AlertRule.WEBHOOK_FAILING)) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list WEBHOOK_FAILING: it is about a "
                    + "webhook subscription, not a key");
        }
        if (rules.containsKey(AlertRule.SECRET_IN_TELEMETRY)) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list SECRET_IN_TELEMETRY: its key id "
                    + "is the fingerprint of a leaked secret, not a registered key; rotate the secret instead");
        }
        if (rules.containsKey(AlertRule.KEY_OVERPRIVILEGED)) {
            // revoking a key for holding more than it uses would break the service that legitimately uses it
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list KEY_OVERPRIVILEGED: the remedy "
                    + "is a narrower grant (the least-privilege report names it), not revoking a key in use");
        }
    }

    public RevocationSettings withRules(Map<AlertRule, Severity> newRules) {
        return new RevocationSettings(newRules, dryRun, maxPerWindow, window);
    }

    public RevocationSettings withDryRun(boolean newDryRun) {
        return new RevocationSettings(rules, newDryRun, maxPerWindow, window);
    }

    public RevocationSettings withGuard(int newMaxPerWindow, Duration newWindow) {
        return new RevocationSettings(rules, dryRun, newMaxPerWindow, newWindow);
    }

    /** The rules in the form {@link #parseRules} reads; {@code default} when unset. */
    public String rulesSpec() {
        if (rules == null) {
            return "default";
        }
        if (rules.isEmpty()) {
            return "NONE";
        }
        StringJoiner out = new StringJoiner(",");
        rules.forEach((rule, severity) -> out.add(rule + ":" + severity));
        return out.toString();
    }

    @Override
    public String toString() {
        return "RevocationSettings[rules=" + rulesSpec() + ", dryRun=" + dryRun + ", maxPerWindow=" + maxPerWindow
                + ", window=" + window.toMinutes() + " min]";
    }
}
