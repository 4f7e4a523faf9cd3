package io.keywatch.api.health;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * When the alert intake stops counting as ready, from {@code KEYWATCH_HEALTH_*} environment variables.
 *
 * @param intakeStallAfter {@code KEYWATCH_HEALTH_INTAKE_STALL_SECONDS}: the intake is not ready when it has lag
 *                         and made no progress (nothing committed, not caught up) for this long, when one batch has
 *                         been retried for this long, or when it has not polled for this long (default 60)
 * @param lagGrowthChecks  {@code KEYWATCH_HEALTH_LAG_GROWTH_CHECKS}: the intake is not ready when its lag grew on
 *                         this many consecutive health checks (counted at most one per 5 s); 0 turns the rule off
 *                         (default 3)
 */
public record HealthSettings(Duration intakeStallAfter, int lagGrowthChecks) {

    public static final Duration DEFAULT_INTAKE_STALL_AFTER = Duration.ofSeconds(60);
    public static final int DEFAULT_LAG_GROWTH_CHECKS = 3;
    public static final HealthSettings DEFAULTS =
            new HealthSettings(DEFAULT_INTAKE_STALL_AFTER, DEFAULT_LAG_GROWTH_CHECKS);
    static final int MAX_STALL_SECONDS = 86_400;
    static final int MAX_GROWTH_CHECKS = 1_000;

    public HealthSettings {
        Objects.requireNonNull(intakeStallAfter, "intakeStallAfter");
        if (intakeStallAfter.toSeconds() < 1 || intakeStallAfter.toSeconds() > MAX_STALL_SECONDS) {
            throw new IllegalArgumentException("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS must be from 1 to "
                    + MAX_STALL_SECONDS + " seconds, got " + intakeStallAfter);
        }
        if (lagGrowthChecks < 0 || lagGrowthChecks > MAX_GROWTH_CHECKS) {
            throw new IllegalArgumentException("KEYWATCH_HEALTH_LAG_GROWTH_CHECKS must be from 0 (off) to "
                    + MAX_GROWTH_CHECKS + ", got " + lagGrowthChecks);
        }
    }

    /** Settings from the environment; anything unset keeps its default; a bad value names its variable. */
    public static HealthSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        return new HealthSettings(
                Duration.ofSeconds(env.integer("KEYWATCH_HEALTH_INTAKE_STALL_SECONDS",
                        (int) DEFAULT_INTAKE_STALL_AFTER.toSeconds(), 1, MAX_STALL_SECONDS)),
                env.integer("KEYWATCH_HEALTH_LAG_GROWTH_CHECKS", DEFAULT_LAG_GROWTH_CHECKS, 0, MAX_GROWTH_CHECKS));
    }

    @Override
    public String toString() {
        return "HealthSettings[intakeStallAfter=" + intakeStallAfter.toSeconds() + "s, lagGrowthChecks="
                + (lagGrowthChecks == 0 ? "off" : lagGrowthChecks) + "]";
    }
}
