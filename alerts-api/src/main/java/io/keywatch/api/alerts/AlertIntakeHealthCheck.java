package io.keywatch.api.alerts;

import io.keywatch.api.health.ComponentHealth;
import io.keywatch.api.health.HealthCheck;
import io.keywatch.api.health.HealthSettings;
import io.keywatch.api.health.LagTrend;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The alert intake as a component of /health:
 * <ul>
 *   <li>DOWN, not live, when the consumer thread has ended (nothing is taken in any more);</li>
 *   <li>DEGRADED and not ready when it is stalled: it has lag and made no progress (committed nothing further, was
 *       never caught up) for {@code intakeStallAfter}; or one batch has been retried that long (the database or
 *       Kafka is away, or a failure no rule classifies); or it has not polled that long; or when its lag grew on
 *       {@code lagGrowthChecks} consecutive checks (it falls behind);</li>
 *   <li>DEGRADED but ready when records were quarantined since start (a person should look at the dead-letter
 *       topic);</li>
 *   <li>UP otherwise.</li>
 * </ul>
 * The figures say the lag per partition and in all, when it was measured, the last progress, how many records were
 * stored and quarantined, and the last reason code.
 */
public final class AlertIntakeHealthCheck implements HealthCheck {

    private final IntakeStatus status;
    private final Supplier<Optional<String>> stoppedBecause;
    private final String deadLetterTopic;
    private final Duration stallAfter;
    private final LagTrend trend;
    private final Clock clock;

    /**
     * @param stoppedBecause why the consumer thread ended; empty while it runs
     */
    public AlertIntakeHealthCheck(IntakeStatus status, Supplier<Optional<String>> stoppedBecause,
                                  String deadLetterTopic, HealthSettings settings, Clock clock) {
        this.status = status;
        this.stoppedBecause = stoppedBecause;
        this.deadLetterTopic = deadLetterTopic;
        this.stallAfter = settings.intakeStallAfter();
        this.trend = new LagTrend(settings.lagGrowthChecks());
        this.clock = clock;
    }

    @Override
    public synchronized ComponentHealth check() {
        Instant now = clock.instant();
        Map<String, Object> figures = new LinkedHashMap<>();
        Optional<IntakeStatus.Lag> lag = status.lag();
        lag.ifPresent(l -> {
            figures.put("lag", l.total());
            figures.put("lagByPartition", l.sorted().entrySet().stream().collect(Collectors.toMap(
                    e -> String.valueOf(e.getKey()), Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)));
            figures.put("lagMeasuredAt", l.at().toString());
        });
        figures.put("lastProgressAt", status.lastProgress().toString());
        figures.put("storedRecords", status.storedRecords());
        figures.put("quarantinedRecords", status.quarantinedRecords());
        status.lastQuarantine().ifPresent(last -> {
            figures.put("lastReasonCode", last.reasonCode().code());
            figures.put("lastQuarantinedAt", last.at().toString());
        });
        figures.put("deadLetterTopic", deadLetterTopic);
        Optional<String> stopped = stoppedBecause.get();
        if (stopped.isPresent()) {
            return ComponentHealth.dead("the alert consumer has stopped: " + stopped.get(), figures);
        }
        Optional<IntakeStatus.Retrying> retrying = status.retrying();
        if (retrying.isPresent() && retrying.get().since().plus(stallAfter).isBefore(now)) {
            IntakeStatus.Retrying r = retrying.get();
            figures.put("retryingSince", r.since().toString());
            figures.put("retryAttempts", r.attempts());
            figures.put("retryReasonCode", r.reasonCode().code());
            return ComponentHealth.notReady("retrying one batch since " + r.since() + " (" + r.attempts()
                    + " attempts, " + r.reasonCode() + ")", figures);
        }
        Instant lastPoll = lag.map(IntakeStatus.Lag::at).orElse(status.startedAt());
        if (lastPoll.plus(stallAfter).isBefore(now)) {
            return ComponentHealth.notReady(lag.isEmpty()
                    ? "no poll of the alert topic has completed since the start at " + lastPoll
                    : "the alert consumer has not polled since " + lastPoll, figures);
        }
        if (lag.isPresent()) {
            long total = lag.get().total();
            if (total > 0 && status.lastProgress().plus(stallAfter).isBefore(now)) {
                return ComponentHealth.notReady("stalled: " + total + " record(s) behind and no progress since "
                        + status.lastProgress(), figures);
            }
            List<LagTrend.Sample> growing = trend.record(total, now);
            if (!growing.isEmpty()) {
                return ComponentHealth.notReady("falling behind: the lag grew on " + (growing.size() - 1)
                        + " consecutive checks (" + growing.stream().map(s -> String.valueOf(s.lag()))
                        .collect(Collectors.joining(" -> ")) + ")", figures);
            }
        }
        if (status.quarantinedRecords() > 0) {
            return new ComponentHealth(ComponentHealth.DEGRADED, status.quarantinedRecords()
                    + " record(s) quarantined to " + deadLetterTopic + " since start; last reason "
                    + status.lastQuarantine().map(q -> q.reasonCode().code()).orElse("?"), figures);
        }
        return new ComponentHealth(ComponentHealth.UP, lag.map(l -> l.total() == 0 ? "caught up"
                : "consuming, " + l.total() + " record(s) behind").orElse("starting"), figures);
    }

    @Override
    public boolean checksLiveness() {
        return true;
    }
}
