package io.keywatch.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HealthControllerTest {

    private final AtomicInteger databaseChecks = new AtomicInteger();
    private final HealthCheck databaseDown = () -> {
        databaseChecks.incrementAndGet();
        return ComponentHealth.down("Connection refused");
    };

    @Test
    void livenessRunsOnlyTheChecksOfTheProcessesOwnThreadsSoADatabaseOutageRestartsNothing() {
        HealthController health = new HealthController(checks(databaseDown, live(ComponentHealth.up("RUNNING"))));

        HealthController.ProbeReport live = health.liveness();

        assertThat(live.status()).isEqualTo("UP");
        assertThat(live.reasons()).isEmpty();
        assertThat(live.components()).containsOnlyKeys("streams");
        assertThat(databaseChecks).hasValue(0);
    }

    @Test
    void livenessFailsWithTheReasonWhenAThreadHasDied() {
        HealthController health = new HealthController(
                checks(databaseDown, live(ComponentHealth.dead("ERROR", null))));

        HealthController.ProbeReport live = health.liveness();

        assertThat(live.status()).isEqualTo("DOWN");
        assertThat(live.reasons()).containsExactly("streams: ERROR");
    }

    @Test
    void readinessFailsWithOneReasonPerComponentThatIsNotReady() {
        HealthController health = new HealthController(
                checks(databaseDown, live(ComponentHealth.notReady("REBALANCING", null))));

        HealthController.ProbeReport ready = health.readiness();

        assertThat(ready.status()).isEqualTo("DOWN");
        assertThat(ready.reasons()).containsExactly("postgres: Connection refused", "streams: REBALANCING");
        assertThat(ready.components()).containsOnlyKeys("postgres", "streams");
    }

    @Test
    void theFullReportCarriesBothVerdicts() {
        HealthController health = new HealthController(
                checks(() -> ComponentHealth.up(null), live(ComponentHealth.notReady("REBALANCING", null))));

        HealthController.HealthReport report = health.report();

        assertThat(report.status()).as("rebalancing is no longer reported as UP").isEqualTo("DEGRADED");
        assertThat(report.ready()).isFalse();
        assertThat(report.live()).isTrue();
    }

    private static Map<String, HealthCheck> checks(HealthCheck postgres, HealthCheck streams) {
        Map<String, HealthCheck> checks = new LinkedHashMap<>();
        checks.put("postgres", postgres);
        checks.put("streams", streams);
        return checks;
    }

    private static HealthCheck live(ComponentHealth answer) {
        return new HealthCheck() {
            @Override
            public ComponentHealth check() {
                return answer;
            }

            @Override
            public boolean checksLiveness() {
                return true;
            }
        };
    }
}
