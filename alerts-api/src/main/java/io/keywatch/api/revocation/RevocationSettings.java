package io.keywatch.api.revocation;

import io.keywatch.events.AlertRule;
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
            if (rules.containsKey(AlertRule.REVOCATION_GUARD_TRIPPED)) {
                throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list REVOCATION_GUARD_TRIPPED: "
                        + "the guard's own alert never revokes a key");
            }
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
        return new RevocationSettings(
                parseRules(env.get("KEYWATCH_REVOKE_RULES")),
                bool(env, "KEYWATCH_REVOKE_DRY_RUN"),
                wholeNumber(env, "KEYWATCH_REVOKE_MAX_PER_WINDOW", DEFAULT_MAX_PER_WINDOW, 0, 1_000_000),
                Duration.ofMinutes(wholeNumber(env, "KEYWATCH_REVOKE_WINDOW_MINUTES",
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
        if (rules.containsKey(AlertRule.REVOCATION_GUARD_TRIPPED)) {
            throw new IllegalArgumentException("KEYWATCH_REVOKE_RULES must not list REVOCATION_GUARD_TRIPPED: "
                    + "the guard's own alert never revokes a key");
        }
        return rules;
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

    private static boolean bool(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException(name + " must be true or false, got '" + value + "'");
        };
    }

    private static int wholeNumber(Map<String, String> env, String name, int fallback, int min, int max) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            parsed = Long.MIN_VALUE;
        }
        if (parsed < min || parsed > max) {
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max
                    + ", got '" + value + "'");
        }
        return (int) parsed;
    }
}
