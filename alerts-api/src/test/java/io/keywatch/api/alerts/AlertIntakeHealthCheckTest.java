package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.health.ComponentHealth;
import io.keywatch.api.health.HealthCheck;
import io.keywatch.api.health.HealthController;
import io.keywatch.api.health.HealthSettings;
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
            "keywatch.alerts.dlq", HealthSettings.DEFAULTS, clock);

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
        status.measured(Map.of(0, 4L)); // the retries poll again
        ComponentHealth stuck = check.check();
        assertThat(stuck.status()).isEqualTo("DEGRADED");
        assertThat(stuck.ready()).as("a stuck intake is not ready").isFalse();
        assertThat(stuck.live()).as("a restart would not bring the database back").isTrue();
        assertThat(stuck.figures()).containsEntry("retryAttempts", 2L)
                .containsEntry("retryReasonCode", "database-unavailable");

        status.stored(1);
        status.progressed();
        status.measured(Map.of(0, 0L));
        assertThat(check.check().status()).isEqualTo("UP");
    }

    @Test
    void downWhenTheConsumerThreadHasStopped() {
        stopped.set(Optional.of("java.lang.OutOfMemoryError: Java heap space"));

        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("DOWN");
        assertThat(health.detail()).isEqualTo(
                "the alert consumer has stopped: java.lang.OutOfMemoryError: Java heap space");
        assertThat(health.live()).as("only a restart brings a dead consumer thread back").isFalse();
        assertThat(health.ready()).isFalse();
    }

    @Test
    void caughtUpIsUpWithZeroLagPerPartition() {
        status.measured(Map.of(0, 0L, 1, 0L, 2, 0L));

        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.detail()).isEqualTo("caught up");
        assertThat(health.ready()).isTrue();
        assertThat(health.figures()).containsEntry("lag", 0L)
                .containsEntry("lagByPartition", Map.of("0", 0L, "1", 0L, "2", 0L));
    }

    @Test
    void lagWithoutProgressForTheStallTimeIsNotReadyAndProgressMakesItReadyAgain() {
        status.measured(Map.of(0, 5L, 1, 0L));
        assertThat(check.check().ready()).as("lag alone is work in progress").isTrue();

        clock.advance(Duration.ofSeconds(61));
        status.measured(Map.of(0, 5L, 1, 0L)); // still polling, but committing nothing
        ComponentHealth stalled = check.check();
        assertThat(stalled.ready()).isFalse();
        assertThat(stalled.status()).isEqualTo("DEGRADED");
        assertThat(stalled.detail()).isEqualTo(
                "stalled: 5 record(s) behind and no progress since 2026-12-01T10:00:00Z");
        assertThat(stalled.figures()).containsEntry("lag", 5L)
                .containsEntry("lagByPartition", Map.of("0", 5L, "1", 0L));

        status.progressed();
        status.measured(Map.of(0, 2L, 1, 0L));
        assertThat(check.check().ready()).isTrue();
    }

    @Test
    void aConsumerThatHasNotPolledForTheStallTimeIsNotReady() {
        status.measured(Map.of(0, 0L));
        clock.advance(Duration.ofSeconds(61));

        ComponentHealth hung = check.check();

        assertThat(hung.ready()).isFalse();
        assertThat(hung.detail()).isEqualTo("the alert consumer has not polled since 2026-12-01T10:00:00Z");
    }

    @Test
    void aLagThatGrowsOnThreeConsecutiveChecksIsNotReadyUntilItShrinks() {
        long[] lags = {10, 20, 30};
        for (long lag : lags) {
            status.measured(Map.of(0, lag));
            status.progressed(); // it is consuming, only not fast enough
            assertThat(check.check().ready()).isTrue();
            clock.advance(Duration.ofSeconds(5));
        }
        status.measured(Map.of(0, 40L));
        status.progressed();
        ComponentHealth behind = check.check();
        assertThat(behind.ready()).isFalse();
        assertThat(behind.detail()).isEqualTo(
                "falling behind: the lag grew on 3 consecutive checks (10 -> 20 -> 30 -> 40)");

        clock.advance(Duration.ofSeconds(1));
        status.measured(Map.of(0, 50L));
        assertThat(check.check().ready()).as("a burst of probes within 5 s counts as one check").isFalse();

        clock.advance(Duration.ofSeconds(5));
        status.measured(Map.of(0, 35L));
        assertThat(check.check().ready()).isTrue();
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
