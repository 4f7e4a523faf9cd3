package io.keywatch.api.health;


/**
 * Checks one dependency; must answer within a couple of seconds and never throw. In {@code health}, not {@code http},
 * so that a feature's own check (the alert intake's, the key-scope intake's) needs no HTTP type.
 */
@FunctionalInterface
public interface HealthCheck {

    ComponentHealth check();

    /**
     * Whether {@code GET /health/live} runs this check: only checks of this process's own threads, which answer at
     * once and whose failure a restart cures. Checks of external dependencies (PostgreSQL, Kafka) do not, so that an
     * outage of theirs does not make every instance restart.
     */
    default boolean checksLiveness() {
        return false;
    }
}
