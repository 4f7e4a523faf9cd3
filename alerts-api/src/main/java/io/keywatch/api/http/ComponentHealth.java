package io.keywatch.api.http;

import java.util.Objects;

/**
 * One dependency's health.
 *
 * @param status UP or DOWN
 * @param detail a short reason or state, null when there is nothing to add
 */
public record ComponentHealth(String status, String detail) {

    public static final String UP = "UP";
    public static final String DOWN = "DOWN";

    public ComponentHealth {
        Objects.requireNonNull(status, "status");
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
}
