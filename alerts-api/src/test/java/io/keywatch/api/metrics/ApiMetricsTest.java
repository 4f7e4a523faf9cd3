package io.keywatch.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.api.alerts.IntakeOutcome;
import io.keywatch.api.revocation.DecisionStatus;
import io.keywatch.api.revocation.RevocationEngine;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.webhooks.AttemptResult;
import io.keywatch.events.Severity;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The API's own metrics count each outcome under its bounded label, and never record an absurd lag. */
class ApiMetricsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ApiMetrics metrics = new ApiMetrics(registry, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void revocationOutcomesSplitWhatWaitsForApprovalByWhy() {
        metrics.decided(DecisionStatus.REVOKED, null);
        metrics.decided(DecisionStatus.PENDING_APPROVAL, RevocationEngine.PENDING_GUARD);
        metrics.decided(DecisionStatus.PENDING_APPROVAL, RevocationEngine.PENDING_GUARD);
        metrics.decided(DecisionStatus.PENDING_APPROVAL, RevocationEngine.PENDING_PROTECTED);
        metrics.decided(DecisionStatus.SKIPPED_CANARY, null);

        assertThat(count("revoked")).isEqualTo(1);
        assertThat(count("held-by-guard")).isEqualTo(2);
        assertThat(count("held-protected")).isEqualTo(1);
        assertThat(count("skipped-canary")).isEqualTo(1);
        assertThat(count("dry-run")).isZero();
    }

    @Test
    void intakeLagFromAForgedOrSkewedDetectionTimeIsCountedApartNotRecorded() {
        metrics.stored(List.of(
                outcome(NOW.minusMillis(250), IntakeOutcome.Kind.OPENED),
                outcome(NOW.plusSeconds(30), IntakeOutcome.Kind.OPENED),
                outcome(NOW.minus(Duration.ofDays(400)), IntakeOutcome.Kind.FOLDED),
                outcome(NOW.minusSeconds(5), IntakeOutcome.Kind.DUPLICATE)));

        var lag = registry.get("keywatch.intake.lag").timer();
        assertThat(lag.count()).as("the duplicate changed nothing: no lag").isEqualTo(2);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(ApiMetrics.MAX_INTAKE_LAG.toMillis());
        assertThat(registry.get("keywatch.intake.lag.out.of.range").tag("bound", "future").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("keywatch.intake.lag.out.of.range").tag("bound", "past").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("keywatch.alerts.stored").tag("outcome", "opened").counter().count()).isEqualTo(2);
        assertThat(registry.get("keywatch.alerts.stored").tag("outcome", "duplicate").counter().count())
                .isEqualTo(1);
    }

    @Test
    void webhookAttemptsByOutcomeWithLatencyAndNoSeriesAdded() {
        int series = registry.getMeters().size();
        metrics.attempted(new AttemptResult(AttemptResult.Outcome.RETRY, NOW, 500, 120, null, null, "HTTP 500"));
        metrics.attempted(new AttemptResult(AttemptResult.Outcome.DELIVERED, NOW, 200, 40, null, null, null));
        metrics.attempted(new AttemptResult(AttemptResult.Outcome.RETRY, NOW, null, -5, "timed out", null, null));
        metrics.unsendable();

        var retry = registry.get("keywatch.webhook.attempts").tag("outcome", "retry").timer();
        assertThat(retry.count()).isEqualTo(2);
        assertThat(retry.max(TimeUnit.MILLISECONDS)).isEqualTo(120);
        assertThat(registry.get("keywatch.webhook.attempts").tag("outcome", "delivered").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("keywatch.webhook.unsendable").counter().count()).isEqualTo(1);
        assertThat(registry.getMeters()).hasSize(series);
        assertThat(registry.getMeters()).extracting(Meter::getId).noneMatch(id -> id.getTags().stream()
                .anyMatch(tag -> tag.getValue().contains("500") || tag.getValue().contains("timed")));
    }

    private double count(String outcome) {
        return registry.get("keywatch.revocations").tag("outcome", outcome).counter().count();
    }

    private static IntakeOutcome outcome(Instant detectedAt, IntakeOutcome.Kind kind) {
        return new IntakeOutcome(TestAlerts.alert("a-" + detectedAt.toEpochMilli(), "key-1", Severity.HIGH,
                detectedAt), "alert-1", kind, null);
    }
}
