package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /health}: UP (200) when every component is up, DOWN (503) otherwise; needs no token. */
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
        boolean up = components.values().stream().allMatch(ComponentHealth::isUp);
        return new HealthReport(up ? ComponentHealth.UP : ComponentHealth.DOWN, components);
    }

    public void health(Context ctx) {
        HealthReport report = report();
        ctx.status(report.status().equals(ComponentHealth.UP) ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(report);
    }
}
