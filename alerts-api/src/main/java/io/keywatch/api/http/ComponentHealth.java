package io.keywatch.api.http;

import java.util.Map;
import java.util.Objects;

/**
 * One dependency's health.
 *
 * @param status  UP, DEGRADED (working, but something needs a person's look: the instance still serves) or DOWN
 * @param detail  a short reason or state, null when there is nothing to add
 * @param figures numbers and codes behind the status, for machines (null when there are none)
 */
public record ComponentHealth(String status, String detail, Map<String, Object> figures) {

    public static final String UP = "UP";
    public static final String DEGRADED = "DEGRADED";
    public static final String DOWN = "DOWN";

    public ComponentHealth {
        Objects.requireNonNull(status, "status");
        figures = figures == null ? null : Map.copyOf(figures);
    }

    public ComponentHealth(String status, String detail) {
        this(status, detail, null);
    }

    public static ComponentHealth up(String detail) {
        return new ComponentHealth(UP, detail);
    }

    public static ComponentHealth down(String detail) {
        return new ComponentHealth(DOWN, detail);
    }

    public boolean isUp() {
        return UP.equals(status);
    }

    public boolean isDown() {
        return !UP.equals(status) && !DEGRADED.equals(status);
    }
}
