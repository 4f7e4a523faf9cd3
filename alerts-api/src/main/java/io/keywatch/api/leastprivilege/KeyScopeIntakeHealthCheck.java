package io.keywatch.api.leastprivilege;

import io.keywatch.api.health.ComponentHealth;
import io.keywatch.api.health.HealthCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The key-scopes intake as a component of /health. It feeds only the least-privilege report, so it never makes the
 * instance not ready: DOWN and not live when its thread has ended (a restart is the cure); DEGRADED when storing has
 * failed for longer than {@code stallAfter}, or when records were refused since start (unsigned, forged or invalid:
 * a person should look); UP otherwise.
 */
public final class KeyScopeIntakeHealthCheck implements HealthCheck {

    private final KeyScopeIntakeStatus status;
    private final Supplier<Optional<String>> stoppedBecause;
    private final String topic;
    private final Duration stallAfter;
    private final Clock clock;

    public KeyScopeIntakeHealthCheck(KeyScopeIntakeStatus status, Supplier<Optional<String>> stoppedBecause,
                                     String topic, Duration stallAfter, Clock clock) {
        this.status = status;
        this.stoppedBecause = stoppedBecause;
        this.topic = topic;
        this.stallAfter = stallAfter;
        this.clock = clock;
    }

    @Override
    public ComponentHealth check() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("topic", topic);
        figures.put("storedRecords", status.storedRecords());
        figures.put("refusedRecords", status.refusedRecords());
        if (status.refusedRecords() > 0) {
            figures.put("refusedByReason", status.refusedByReason());
        }
        status.lastRefusal().ifPresent(last -> {
            figures.put("lastReasonCode", last.reasonCode());
            figures.put("lastRefusedAt", last.at().toString());
        });
        Optional<String> stopped = stoppedBecause.get();
        if (stopped.isPresent()) {
            return ComponentHealth.dead("the key-scopes consumer has stopped: " + stopped.get(), figures);
        }
        Optional<java.time.Instant> failing = status.failingSince();
        if (failing.isPresent() && failing.get().plus(stallAfter).isBefore(clock.instant())) {
            figures.put("failingSince", failing.get().toString());
            return new ComponentHealth(ComponentHealth.DEGRADED, "storing key scope usage has failed since "
                    + failing.get() + ": " + status.failingBecause().orElse("unknown"), figures, true, true);
        }
        if (status.refusedRecords() > 0) {
            return new ComponentHealth(ComponentHealth.DEGRADED, status.refusedRecords()
                    + " key-scopes record(s) refused since start (unsigned, forged or invalid; see the log)", figures,
                    true, true);
        }
        return new ComponentHealth(ComponentHealth.UP, null, figures);
    }

    @Override
    public boolean checksLiveness() {
        return true;
    }
}
