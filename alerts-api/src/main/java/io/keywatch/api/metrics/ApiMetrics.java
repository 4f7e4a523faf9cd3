package io.keywatch.api.metrics;

import io.keywatch.api.alerts.IntakeCode;
import io.keywatch.api.alerts.IntakeMetrics;
import io.keywatch.api.alerts.IntakeOutcome;
import io.keywatch.api.alerts.IntakeStatus;
import io.keywatch.api.revocation.DecisionListener;
import io.keywatch.api.revocation.DecisionStatus;
import io.keywatch.api.revocation.RevocationEngine;
import io.keywatch.api.webhooks.AttemptListener;
import io.keywatch.api.webhooks.AttemptResult;
import io.keywatch.events.Alert;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The alerts API's own metrics (README: Metrics). Every series is registered up front, one per enum value, so that
 * nothing a record or a request says can add one:
 *
 * <ul>
 *   <li>{@code keywatch_alerts_stored_total{outcome}}: alert occurrences stored (opened, folded, escalated,
 *       duplicate)</li>
 *   <li>{@code keywatch_intake_lag_seconds}: the alert's detection to its commit here (histogram; a detection time
 *       in the future is counted in {@code keywatch_intake_lag_out_of_range_total} instead)</li>
 *   <li>{@code keywatch_alerts_quarantined_total{reason}}: alert records sent to the alerts' dead-letter topic</li>
 *   <li>{@code keywatch_alert_intake_lag_records}, {@code keywatch_alert_intake_last_progress_seconds}: the
 *       intake consumer's lag and when it last made progress (epoch seconds)</li>
 *   <li>{@code keywatch_revocations_total{outcome}}: automatic revocation decisions</li>
 *   <li>{@code keywatch_webhook_attempts_seconds{outcome}}: webhook attempts by outcome, with their latency;
 *       {@code keywatch_webhook_unsendable_total}: deliveries failed before the network</li>
 * </ul>
 */
public final class ApiMetrics implements IntakeMetrics, DecisionListener, AttemptListener {

    /** Histogram bucket bounds of the intake lag and the webhook latency. */
    static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(6)};
    /** The largest intake lag recorded as measured (a longer one is recorded as this, and counted apart). */
    static final Duration MAX_INTAKE_LAG = Duration.ofDays(1);

    private final Clock clock;
    private final Map<IntakeOutcome.Kind, Counter> stored = new EnumMap<>(IntakeOutcome.Kind.class);
    private final Timer intakeLag;
    private final Counter intakeLagFuture;
    private final Counter intakeLagClamped;
    private final Map<String, Counter> revocations;
    private final Map<AttemptResult.Outcome, Timer> attempts = new EnumMap<>(AttemptResult.Outcome.class);
    private final Counter unsendable;

    public ApiMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        for (IntakeOutcome.Kind kind : IntakeOutcome.Kind.values()) {
            stored.put(kind, Counter.builder("keywatch.alerts.stored")
                    .description("Alert occurrences stored, by what storing did")
                    .tag("outcome", label(kind.name()))
                    .register(registry));
        }
        intakeLag = Timer.builder("keywatch.intake.lag")
                .description("From an alert's detection to its commit in PostgreSQL")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        intakeLagFuture = lagOutOfRange(registry, "future");
        intakeLagClamped = lagOutOfRange(registry, "past");
        revocations = new LinkedHashMap<>();
        for (String outcome : RevocationOutcomes.ALL) {
            revocations.put(outcome, Counter.builder("keywatch.revocations")
                    .description("Automatic revocation decisions, by outcome")
                    .tag("outcome", outcome)
                    .register(registry));
        }
        for (AttemptResult.Outcome outcome : AttemptResult.Outcome.values()) {
            attempts.put(outcome, Timer.builder("keywatch.webhook.attempts")
                    .description("Webhook delivery attempts, by outcome, with their latency")
                    .tag("outcome", label(outcome.name()))
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry));
        }
        unsendable = Counter.builder("keywatch.webhook.unsendable")
                .description("Webhook deliveries failed for good before the network")
                .register(registry);
    }

    private static Counter lagOutOfRange(MeterRegistry registry, String bound) {
        return Counter.builder("keywatch.intake.lag.out.of.range")
                .description("Intake lags out of range: future (detected after storing; not recorded), past (over "
                        + "a day; recorded as a day)")
                .tag("bound", bound)
                .register(registry);
    }

    /** Binds the intake consumer's figures: quarantined records by reason, lag, last progress. */
    public ApiMetrics bindIntake(MeterRegistry registry, IntakeStatus status) {
        for (IntakeCode code : IntakeCode.values()) {
            FunctionCounter.builder("keywatch.alerts.quarantined", status, s -> s.quarantinedRecords(code))
                    .description("Alert records quarantined to the alerts' dead-letter topic, by reason code")
                    .tag("reason", code.code())
                    .register(registry);
        }
        Gauge.builder("keywatch.alert.intake.lag.records", status,
                        s -> s.lag().map(lag -> (double) lag.total()).orElse(Double.NaN))
                .description("Alert records not yet consumed by the intake, over all partitions")
                .register(registry);
        Gauge.builder("keywatch.alert.intake.last.progress", status,
                        s -> s.lastProgress() == null ? Double.NaN : s.lastProgress().toEpochMilli() / 1000.0)
                .description("When the alert intake last made progress (caught up or committed), epoch seconds")
                .baseUnit("seconds")
                .register(registry);
        return this;
    }

    @Override
    public void stored(List<IntakeOutcome> outcomes) {
        long now = clock.millis();
        for (IntakeOutcome outcome : outcomes) {
            stored.get(outcome.kind()).increment();
            Alert alert = outcome.occurrence();
            if (outcome.changed() && alert.detectedAt() != null) {
                record(now - alert.detectedAt().toEpochMilli());
            }
        }
    }

    private void record(long lagMs) {
        // detectedAt is what the topology wrote: signed, but a skewed clock must not make a negative sample
        if (lagMs < 0) {
            intakeLagFuture.increment();
            return;
        }
        if (lagMs > MAX_INTAKE_LAG.toMillis()) {
            intakeLagClamped.increment();
            lagMs = MAX_INTAKE_LAG.toMillis();
        }
        intakeLag.record(lagMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void decided(DecisionStatus status, String pendingReason) {
        Counter counter = revocations.get(RevocationOutcomes.of(status, pendingReason));
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void attempted(AttemptResult result) {
        attempts.get(result.outcome()).record(Math.max(0, result.latencyMs()), TimeUnit.MILLISECONDS);
    }

    @Override
    public void unsendable() {
        unsendable.increment();
    }

    static String label(String enumName) {
        return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The revocation outcome labels: a decision's status, a pending one split by why it waits. */
    static final class RevocationOutcomes {
        static final String HELD_BY_GUARD = "held-by-guard";
        static final String HELD_PROTECTED = "held-protected";
        static final List<String> ALL = List.of(label(DecisionStatus.REVOKED.name()),
                label(DecisionStatus.DRY_RUN.name()), HELD_BY_GUARD, HELD_PROTECTED,
                label(DecisionStatus.SKIPPED_PROTECTED.name()), label(DecisionStatus.SKIPPED_SILENCED.name()),
                label(DecisionStatus.SKIPPED_CANARY.name()));

        private RevocationOutcomes() {
        }

        static String of(DecisionStatus status, String pendingReason) {
            if (status == DecisionStatus.PENDING_APPROVAL) {
                return RevocationEngine.PENDING_GUARD.equals(pendingReason) ? HELD_BY_GUARD : HELD_PROTECTED;
            }
            return label(status.name());
        }
    }
}
