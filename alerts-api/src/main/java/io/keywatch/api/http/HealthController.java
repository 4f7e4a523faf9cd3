package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /health}, without a token: UP (200) when every component is up; DEGRADED (still 200, so that a load
 * balancer keeps an instance that serves, while the body tells monitoring that something needs a look) when some
 * component is degraded and none is down; DOWN (503) when any component is down.
 */
public final class HealthController {

    private final Map<String, HealthCheck> checks;

    /** Checks in the order they are reported. */
    public HealthController(Map<String, HealthCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    public record HealthReport(String status, Map<String, ComponentHealth> components) {
    }

    public HealthReport report() {
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        checks.forEach((name, check) -> components.put(name, check.check()));
        String status = ComponentHealth.UP;
        if (components.values().stream().anyMatch(ComponentHealth::isDown)) {
            status = ComponentHealth.DOWN;
        } else if (!components.values().stream().allMatch(ComponentHealth::isUp)) {
            status = ComponentHealth.DEGRADED;
        }
        return new HealthReport(status, components);
    }

    public void health(Context ctx) {
        HealthReport report = report();
        ctx.status(report.status().equals(ComponentHealth.DOWN) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .json(report);
    }
}
