package io.keywatch.api.health;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import java.util.Objects;

/**
 * One dependency's health.
 *
 * @param status  UP, DEGRADED (working, but something needs a person's look: the instance still serves) or DOWN
 * @param detail  a short reason or state, null when there is nothing to add
 * @param figures numbers and codes behind the status, for machines (null when there are none)
 * @param ready   whether this component lets the instance do its work now (readiness: false while Kafka Streams
 *                rebalances or restores, while the alert intake is stalled or falls behind, while a dependency is
 *                down)
 * @param live    false only when a thread of this process that keeps it working has died for good, so that a
 *                restart is the cure (liveness); a dependency that is away never makes a component not live
 */
public record ComponentHealth(String status, String detail, Map<String, Object> figures, boolean ready,
                              boolean live) {

    public static final String UP = "UP";
    public static final String DEGRADED = "DEGRADED";
    public static final String DOWN = "DOWN";

    public ComponentHealth {
        Objects.requireNonNull(status, "status");
        figures = figures == null ? null : Map.copyOf(figures);
    }

    /** Ready unless DOWN; live. */
    public ComponentHealth(String status, String detail, Map<String, Object> figures) {
        this(status, detail, figures, !DOWN.equals(status), true);
    }

    public ComponentHealth(String status, String detail) {
        this(status, detail, null);
    }

    public static ComponentHealth up(String detail) {
        return new ComponentHealth(UP, detail);
    }

    /** Down, not ready, but live: the dependency is away, restarting this process would not bring it back. */
    public static ComponentHealth down(String detail) {
        return new ComponentHealth(DOWN, detail);
    }

    /** Working but not to be sent work yet (or any more): DEGRADED and not ready. */
    public static ComponentHealth notReady(String detail, Map<String, Object> figures) {
        return new ComponentHealth(DEGRADED, detail, figures, false, true);
    }

    /** Down for good: not ready and not live (a restart is the cure). */
    public static ComponentHealth dead(String detail, Map<String, Object> figures) {
        return new ComponentHealth(DOWN, detail, figures, false, false);
    }

    @JsonIgnore
    public boolean isUp() {
        return UP.equals(status);
    }

    @JsonIgnore
    public boolean isDown() {
        return !UP.equals(status) && !DEGRADED.equals(status);
    }
}
