package io.keywatch.api.alerts;

import io.keywatch.api.alerts.TimelineSources.DecisionEntry;
import io.keywatch.api.alerts.TimelineSources.DeliveryEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Assembles an alert's timeline from the stores: triggered → detected → stored (in that order, as the pipeline runs
 * them), then the revocation decisions, the key's revocation, the webhook deliveries, acknowledgement and resolution
 * in time order, each with its latency from the step before and from the trigger.
 */
public final class AlertTimelines {

    /** At most this many revocation audit entries and deliveries are listed; the timeline says when there were more. */
    public static final int MAX_DECISIONS = 20;
    public static final int MAX_DELIVERIES = 50;

    private final AlertStore alerts;
    private final TimelineSources sources;

    public AlertTimelines(AlertStore alerts, TimelineSources sources) {
        this.alerts = alerts;
        this.sources = sources;
    }

    /** The timeline of an alert (alert or occurrence id); empty when there is no such alert. */
    public Optional<AlertTimeline> of(String id) {
        return alerts.find(id).map(alert -> {
            List<DecisionEntry> decisions = sources.decisions(alert.id(), MAX_DECISIONS + 1);
            List<DecisionEntry> shownDecisions = decisions.subList(0, Math.min(decisions.size(), MAX_DECISIONS));
            List<Instant> revokedAt = shownDecisions.stream().filter(AlertTimelines::revokesKey)
                    .map(DecisionEntry::at).toList();
            List<DeliveryEntry> deliveries = sources.deliveries(alert.id(), alert.keyId(), revokedAt,
                    MAX_DELIVERIES + 1);
            boolean truncated = decisions.size() > MAX_DECISIONS || deliveries.size() > MAX_DELIVERIES;
            return assemble(alert, shownDecisions,
                    deliveries.subList(0, Math.min(deliveries.size(), MAX_DELIVERIES)), truncated);
        });
    }

    /** The pure part: the steps of {@code alert} from what the stores returned. */
    static AlertTimeline assemble(StoredAlert alert, List<DecisionEntry> decisions, List<DeliveryEntry> deliveries,
                                  boolean truncated) {
        List<TimelineStep> pipeline = new ArrayList<>();
        Instant trigger = alert.triggeredAt() != null ? alert.triggeredAt() : alert.detectedAt();
        pipeline.add(TimelineStep.of("triggered", trigger, null, null,
                "event time of the triggering usage event"));
        pipeline.add(TimelineStep.of("detected", alert.detectedAt(), null, null, "the topology raised the alert"));
        pipeline.add(TimelineStep.of("stored", alert.storedAt(), null, null, "the API stored it"));

        List<TimelineStep> after = new ArrayList<>();
        for (DecisionEntry d : decisions) {
            String actor = d.onBehalfOf() == null ? d.actor() : d.actor() + " for " + d.onBehalfOf();
            String step = switch (d.action()) {
                case "APPROVED" -> "revocation-approved";
                case "DENIED" -> "revocation-denied";
                default -> "revocation-decided";
            };
            after.add(TimelineStep.of(step, d.at(), actor, d.action(), d.reason()));
            if (revokesKey(d)) {
                after.add(TimelineStep.of("key-revoked", d.at(), actor, "REVOKED", "key " + alert.keyId()
                        + " revoked"));
            }
        }
        for (DeliveryEntry d : deliveries) {
            String step;
            Instant at;
            if (d.deliveredAt() != null) {
                step = "webhook-delivered";
                at = d.deliveredAt();
            } else if (d.failedAt() != null) {
                step = "webhook-failed";
                at = d.failedAt();
            } else {
                step = "webhook-pending";
                at = d.firstAttemptAt() != null ? d.firstAttemptAt() : d.eventCreatedAt();
            }
            after.add(new TimelineStep(step, at, 0, 0, null, d.status(),
                    d.eventType() + " to subscription " + d.subscriptionId() + " after " + d.attempts()
                            + (d.attempts() == 1 ? " attempt" : " attempts"),
                    d.eventType(), d.subscriptionId(), d.attempts(), d.firstAttemptAt(), d.lastStatusCode()));
        }
        if (alert.acknowledgedAt() != null) {
            after.add(TimelineStep.of("acknowledged", alert.acknowledgedAt(), alert.acknowledgedBy(), null, null));
        }
        if (alert.resolvedAt() != null) {
            after.add(TimelineStep.of("resolved", alert.resolvedAt(), alert.resolvedBy(), alert.resolution(), null));
        }
        // stable: a decision and the key's revocation share an instant and keep their order
        after.sort(Comparator.comparing(TimelineStep::at));

        List<TimelineStep> steps = new ArrayList<>();
        Instant previous = trigger;
        for (TimelineStep s : pipeline) {
            if (s.at() == null) {
                continue;
            }
            steps.add(s.timed(previous, trigger));
            previous = s.at();
        }
        for (TimelineStep s : after) {
            steps.add(s.timed(previous, trigger));
            previous = s.at();
        }
        return new AlertTimeline(alert.id(), alert.keyId(), List.copyOf(steps), truncated);
    }

    /** The audit actions that changed the key to REVOKED in the same transaction. */
    private static boolean revokesKey(DecisionEntry d) {
        return "REVOKED".equals(d.action()) || "APPROVED".equals(d.action())
                && (d.reason() == null || !d.reason().startsWith("approved (the key was revoked already)"));
    }
}
