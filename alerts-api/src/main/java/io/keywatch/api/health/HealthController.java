package io.keywatch.api.health;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.keywatch.api.http.Principals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The health routes. Without a credential each answers only its bare status ({@code {"status":"UP"}}) with the same
 * HTTP code, which is all a load balancer or an orchestrator needs; with a valid credential of any role, the JSON
 * report with every component's status, reason and figures (which say how the deployment is built and where it
 * hurts: not for anyone who can reach the port).
 * <ul>
 *   <li>{@code GET /health}: the full report. UP (200) when every component is up; DEGRADED (still 200, so that a
 *       load balancer keeps an instance that serves, while the body tells monitoring that something needs a look)
 *       when some component is degraded and none is down; DOWN (503) when any component is down. With the
 *       {@code live} and {@code ready} verdicts of the two routes below.</li>
 *   <li>{@code GET /health/live} (liveness, as Kubernetes' livenessProbe and Spring Boot's liveness group mean it):
 *       200 unless a thread that keeps this process working has died (the Kafka Streams threads, the alert
 *       consumer), 503 then: a restart is the cure. Runs only the checks of the process's own threads: a
 *       database outage never makes it fail.</li>
 *   <li>{@code GET /health/ready} (readiness): 200 when every component is ready, 503 with the reasons otherwise
 *       (streams rebalancing or restoring, the alert intake stalled or falling behind, PostgreSQL or Kafka
 *       down).</li>
 * </ul>
 */
public final class HealthController {

    private final Map<String, HealthCheck> checks;

    /** Checks in the order they are reported. */
    public HealthController(Map<String, HealthCheck> checks) {
        this.checks = new LinkedHashMap<>(checks);
    }

    /** The full report: the overall status, the two probe verdicts and every component. */
    public record HealthReport(String status, boolean live, boolean ready, Map<String, ComponentHealth> components) {
    }

    /**
     * A probe's answer: UP or DOWN, one reason per failing component ({@code "name: detail"}), and the components
     * the probe looked at.
     */
    public record ProbeReport(String status, List<String> reasons, Map<String, ComponentHealth> components) {

        public boolean passed() {
            return ComponentHealth.UP.equals(status);
        }
    }

    public HealthReport report() {
        Map<String, ComponentHealth> components = run(check -> true);
        String status = ComponentHealth.UP;
        if (components.values().stream().anyMatch(ComponentHealth::isDown)) {
            status = ComponentHealth.DOWN;
        } else if (!components.values().stream().allMatch(ComponentHealth::isUp)) {
            status = ComponentHealth.DEGRADED;
        }
        return new HealthReport(status, components.values().stream().allMatch(ComponentHealth::live),
                components.values().stream().allMatch(ComponentHealth::ready), components);
    }

    public ProbeReport liveness() {
        return probe(run(HealthCheck::checksLiveness), ComponentHealth::live);
    }

    public ProbeReport readiness() {
        return probe(run(check -> true), ComponentHealth::ready);
    }

    /** What an unauthenticated caller gets: the status word only. */
    public record BareStatus(String status) {
    }

    public void health(Context ctx) {
        HealthReport report = report();
        ctx.status(report.status().equals(ComponentHealth.DOWN) ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .json(detailsAllowed(ctx) ? report : new BareStatus(report.status()));
    }

    public void live(Context ctx) {
        answer(ctx, liveness());
    }

    public void ready(Context ctx) {
        answer(ctx, readiness());
    }

    private static void answer(Context ctx, ProbeReport report) {
        ctx.status(report.passed() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(detailsAllowed(ctx) ? report : new BareStatus(report.status()));
    }

    /** Details only for an authenticated caller (the credential is optional on these routes). */
    private static boolean detailsAllowed(Context ctx) {
        return Principals.find(ctx).isPresent();
    }

    private Map<String, ComponentHealth> run(Predicate<HealthCheck> which) {
        Map<String, ComponentHealth> components = new LinkedHashMap<>();
        checks.forEach((name, check) -> {
            if (which.test(check)) {
                components.put(name, check.check());
            }
        });
        return components;
    }

    private static ProbeReport probe(Map<String, ComponentHealth> components, Predicate<ComponentHealth> passes) {
        List<String> reasons = new ArrayList<>();
        components.forEach((name, health) -> {
            if (!passes.test(health)) {
                reasons.add(name + ": " + (health.detail() == null ? health.status() : health.detail()));
            }
        });
        return new ProbeReport(reasons.isEmpty() ? ComponentHealth.UP : ComponentHealth.DOWN, reasons, components);
    }
}
