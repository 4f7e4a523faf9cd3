package io.keywatch.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.alerts.IntakeFailure;
import io.keywatch.api.alerts.IntakeStatus;
import io.keywatch.api.support.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AlertIntakeHealthCheckTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final IntakeStatus status = new IntakeStatus(clock);
    private final AtomicReference<Optional<String>> stopped = new AtomicReference<>(Optional.empty());
    private final AlertIntakeHealthCheck check = new AlertIntakeHealthCheck(status, stopped::get,
            "keywatch.alerts.dlq", Duration.ofSeconds(60), clock);

    @Test
    void upWhileNothingWasQuarantined() {
        status.stored(3);

        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.figures()).containsEntry("storedRecords", 3L).containsEntry("quarantinedRecords", 0L);
    }

    @Test
    void degradedOnceARecordWasQuarantinedWithTheCountAndTheLastReasonCode() {
        status.quarantined(io.keywatch.api.alerts.IntakeCode.INVALID_ALERT);
        status.quarantined(io.keywatch.api.alerts.IntakeCode.DATABASE_REJECTED);
        status.stored(10);

        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("DEGRADED");
        assertThat(health.detail()).isEqualTo(
                "2 record(s) quarantined to keywatch.alerts.dlq since start; last reason database-rejected");
        assertThat(health.figures()).containsEntry("quarantinedRecords", 2L)
                .containsEntry("lastReasonCode", "database-rejected")
                .containsEntry("lastQuarantinedAt", "2026-12-01T10:00:00Z");
    }

    @Test
    void degradedWhenOneBatchHasBeenRetriedForLongerThanAMinuteAndUpAgainOnceStored() {
        IntakeFailure away = new IntakeFailure(IntakeFailure.Kind.TRANSIENT, io.keywatch.api.alerts.IntakeCode.DATABASE_UNAVAILABLE, true,
                new IllegalStateException("x"));
        status.failedTransiently(away);
        clock.advance(Duration.ofSeconds(30));
        status.failedTransiently(away);
        assertThat(check.check().status()).as("a short outage is not worth a page").isEqualTo("UP");

        clock.advance(Duration.ofSeconds(31));
        ComponentHealth stuck = check.check();
        assertThat(stuck.status()).isEqualTo("DEGRADED");
        assertThat(stuck.figures()).containsEntry("retryAttempts", 2L)
                .containsEntry("retryReasonCode", "database-unavailable");

        status.stored(1);
        assertThat(check.check().status()).isEqualTo("UP");
    }

    @Test
    void downWhenTheConsumerThreadHasStopped() {
        stopped.set(Optional.of("java.lang.OutOfMemoryError: Java heap space"));

        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("DOWN");
        assertThat(health.detail()).isEqualTo(
                "the alert consumer has stopped: java.lang.OutOfMemoryError: Java heap space");
    }

    @Test
    void aDegradedComponentMakesTheReportDegradedAndADownOneMakesItDown() {
        HealthCheck up = () -> ComponentHealth.up("fine");
        HealthCheck degraded = () -> new ComponentHealth(ComponentHealth.DEGRADED, "quarantined");
        HealthCheck down = () -> ComponentHealth.down("gone");

        assertThat(new HealthController(Map.of("a", up)).report().status()).isEqualTo("UP");
        assertThat(new HealthController(Map.of("a", up, "b", degraded)).report().status()).isEqualTo("DEGRADED");
        assertThat(new HealthController(Map.of("a", degraded, "b", down)).report().status()).isEqualTo("DOWN");
    }
}
