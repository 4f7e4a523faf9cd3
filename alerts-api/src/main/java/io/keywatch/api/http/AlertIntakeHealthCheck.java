package io.keywatch.api.http;

import io.keywatch.api.alerts.IntakeStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The alert intake as a component of /health: DOWN when the consumer thread has ended (nothing is taken in any
 * more); DEGRADED when records were quarantined since start (a person should look at the dead-letter topic) or
 * when one batch has been retried for longer than {@code stuckAfter} (the database or Kafka is away, or a failure
 * no rule classifies); UP otherwise. The figures say how many records were quarantined and the last reason code.
 */
public final class AlertIntakeHealthCheck implements HealthCheck {

    private final IntakeStatus status;
    private final Supplier<Optional<String>> stoppedBecause;
    private final String deadLetterTopic;
    private final Duration stuckAfter;
    private final Clock clock;

    /**
     * @param stoppedBecause why the consumer thread ended; empty while it runs
     */
    public AlertIntakeHealthCheck(IntakeStatus status, Supplier<Optional<String>> stoppedBecause,
                                  String deadLetterTopic, Duration stuckAfter, Clock clock) {
        this.status = status;
        this.stoppedBecause = stoppedBecause;
        this.deadLetterTopic = deadLetterTopic;
        this.stuckAfter = stuckAfter;
        this.clock = clock;
    }

    @Override
    public ComponentHealth check() {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("storedRecords", status.storedRecords());
        figures.put("quarantinedRecords", status.quarantinedRecords());
        status.lastQuarantine().ifPresent(last -> {
            figures.put("lastReasonCode", last.reasonCode().code());
            figures.put("lastQuarantinedAt", last.at().toString());
        });
        figures.put("deadLetterTopic", deadLetterTopic);
        Optional<String> stopped = stoppedBecause.get();
        if (stopped.isPresent()) {
            return new ComponentHealth(ComponentHealth.DOWN, "the alert consumer has stopped: " + stopped.get(),
                    figures);
        }
        Optional<IntakeStatus.Retrying> retrying = status.retrying();
        if (retrying.isPresent() && retrying.get().since().plus(stuckAfter).isBefore(clock.instant())) {
            IntakeStatus.Retrying r = retrying.get();
            figures.put("retryingSince", r.since().toString());
            figures.put("retryAttempts", r.attempts());
            figures.put("retryReasonCode", r.reasonCode().code());
            return new ComponentHealth(ComponentHealth.DEGRADED, "retrying one batch since " + r.since() + " ("
                    + r.attempts() + " attempts, " + r.reasonCode() + ")", figures);
        }
        if (status.quarantinedRecords() > 0) {
            return new ComponentHealth(ComponentHealth.DEGRADED, status.quarantinedRecords()
                    + " record(s) quarantined to " + deadLetterTopic + " since start; last reason "
                    + status.lastQuarantine().map(q -> q.reasonCode().code()).orElse("?"), figures);
        }
        return new ComponentHealth(ComponentHealth.UP, "consuming", figures);
    }
}
