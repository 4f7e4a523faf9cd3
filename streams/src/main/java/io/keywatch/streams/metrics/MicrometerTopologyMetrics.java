package io.keywatch.streams.metrics;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.RejectCode;
import io.keywatch.events.Severity;
import io.keywatch.streams.detect.Detectors;
import io.keywatch.streams.detect.RuleDeclaration;
import io.keywatch.streams.detect.Trigger;
import io.keywatch.streams.errors.DeadLetterCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The topology's metrics in a Micrometer registry. Every series is registered up front, one per enum value (reason
 * code; rule and severity), so the hot path only increments, and no record can add a series.
 *
 * <ul>
 *   <li>{@code keywatch_events_processed_total}: usage-event records read (valid or not)</li>
 *   <li>{@code keywatch_events_dead_lettered_total{reason}}: usage events dead-lettered, by reason code (the
 *       topology's and the exception handlers')</li>
 *   <li>{@code keywatch_alerts_emitted_total{rule,severity}}: alerts sent to the alerts topic</li>
 *   <li>{@code keywatch_detection_lag_seconds}: triggering event's time to detection (histogram), for the rules
 *       that run on usage events (not the hygiene scan's)</li>
 *   <li>{@code keywatch_detection_lag_out_of_range_total{bound}}: detection lags a forged event time made absurd:
 *       {@code future} (negative: not recorded), {@code past} (over {@link #MAX_LAG}: recorded as that)</li>
 *   <li>{@code keywatch_key_states_skipped_total}: key-state records skipped as malformed or unsigned</li>
 * </ul>
 */
public final class MicrometerTopologyMetrics implements TopologyMetrics {

    /** The largest detection lag recorded as measured; beyond, the event time is not believable as a lag. */
    public static final Duration MAX_LAG = Duration.ofDays(1);
    /** Histogram bucket bounds of the detection lag: sub-second to a day. */
    static final Duration[] LAG_BUCKETS = {
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6), MAX_LAG};

    private static final RejectCode[] CODES = RejectCode.values();
    private static final Severity[] SEVERITIES = Severity.values();

    private final Counter eventsRead;
    private final LongAdder[] deadLettered = new LongAdder[CODES.length];
    private final Counter[][] alerts;
    /** By rule: raised on a usage event (it has a triggering event); the hygiene scan's rules have none. */
    private final boolean[] eventTriggered;
    private final Timer detectionLag;
    private final Counter lagFromFuture;
    private final Counter lagClamped;
    private final long maxLagMs = MAX_LAG.toMillis();

    /**
     * @param handlerCounts what the exception handlers dead-lettered (they count apart: Kafka Streams creates them)
     * @param keyStateSkips the key-state records the topology skipped
     */
    public MicrometerTopologyMetrics(MeterRegistry registry, DeadLetterCounts handlerCounts, AtomicLong keyStateSkips) {
        eventsRead = Counter.builder("keywatch.events.processed")
                .description("Usage-event records read from the usage-events topic, valid or not")
                .register(registry);
        for (RejectCode code : CODES) {
            LongAdder ours = new LongAdder();
            deadLettered[code.ordinal()] = ours;
            FunctionCounter.builder("keywatch.events.dead.lettered", ours,
                            counted -> counted.sum() + handlerCounts.count(code))
                    .description("Usage events sent to the dead-letter topic, by reason code")
                    .tag("reason", code.code())
                    .register(registry);
        }
        AlertRule[] rules = AlertRule.values();
        eventTriggered = new boolean[rules.length];
        for (AlertRule rule : rules) {
            RuleDeclaration declaration = Detectors.all().declaration(rule);
            // undeclared rules (raised elsewhere on an event, as a secret in a rejected record) count as triggered
            eventTriggered[rule.ordinal()] = declaration == null || declaration.trigger() == Trigger.EVENT
                    || declaration.trigger() == Trigger.MINUTE_OPEN;
        }
        alerts = new Counter[rules.length][SEVERITIES.length];
        for (AlertRule rule : rules) {
            for (Severity severity : SEVERITIES) {
                alerts[rule.ordinal()][severity.ordinal()] = Counter.builder("keywatch.alerts.emitted")
                        .description("Alerts the topology sent to the alerts topic, by rule and severity")
                        .tag("rule", rule.name())
                        .tag("severity", severity.name())
                        .register(registry);
            }
        }
        detectionLag = Timer.builder("keywatch.detection.lag")
                .description("From the triggering event's time to the alert's detection (clamped at 1 day)")
                .serviceLevelObjectives(LAG_BUCKETS)
                .register(registry);
        lagFromFuture = lagOutOfRange(registry, "future");
        lagClamped = lagOutOfRange(registry, "past");
        FunctionCounter.builder("keywatch.key.states.skipped", keyStateSkips, AtomicLong::get)
                .description("Key-state records skipped as malformed or not signed by a listed key")
                .register(registry);
    }

    private static Counter lagOutOfRange(MeterRegistry registry, String bound) {
        return Counter.builder("keywatch.detection.lag.out.of.range")
                .description("Detection lags out of range: future (event time after detection; not recorded), "
                        + "past (over a day; recorded as a day)")
                .tag("bound", bound.toLowerCase(Locale.ROOT))
                .register(registry);
    }

    @Override
    public void eventRead() {
        eventsRead.increment();
    }

    @Override
    public void deadLettered(RejectCode code) {
        deadLettered[code.ordinal()].increment();
    }

    @Override
    public void alertRaised(Alert alert) {
        alerts[alert.rule().ordinal()][alert.severity().ordinal()].increment();
        if (!eventTriggered[alert.rule().ordinal()]) {
            return; // a scan's finding (a key about to expire) has no triggering event, so no detection lag
        }
        Instant triggered = alert.triggeredAt();
        Instant detected = alert.detectedAt();
        if (triggered == null || detected == null) {
            return;
        }
        // event times are attacker-written (within the accepted skew): never a negative or absurd sample
        long lagMs = detected.toEpochMilli() - triggered.toEpochMilli();
        if (lagMs < 0) {
            lagFromFuture.increment();
            return;
        }
        if (lagMs > maxLagMs) {
            lagClamped.increment();
            lagMs = maxLagMs;
        }
        detectionLag.record(lagMs, TimeUnit.MILLISECONDS);
    }
}
