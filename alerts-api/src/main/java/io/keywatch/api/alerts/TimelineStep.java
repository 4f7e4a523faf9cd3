package io.keywatch.api.alerts;

import java.time.Instant;

/**
 * One step of an alert's way from the triggering event to the key issuer's webhook receiver.
 *
 * @param step            what happened: triggered, detected, stored, revocation-decided, revocation-approved,
 *                        revocation-denied, key-revoked, webhook-delivered, webhook-failed, webhook-pending,
 *                        acknowledged, resolved
 * @param at              when (UTC); for {@code webhook-pending}, the first attempt or, before one, the enqueueing
 * @param sincePreviousMs milliseconds since the step before (negative only when the client that sent the triggering
 *                        event has a clock ahead of keywatch's)
 * @param sinceTriggerMs  milliseconds since {@code triggered}
 * @param actor           who did it (policy:RULE, token:name, …); null for the pipeline's own steps
 * @param status          the decision's status, the delivery's status or the resolution; null when none applies
 * @param detail          a human-readable line (a decision's reason, a delivery's event type and subscription)
 * @param eventType       webhook steps: the event type
 * @param subscriptionId  webhook steps: the subscription
 * @param attempts        webhook steps: attempts so far
 * @param firstAttemptAt  webhook steps: the first attempt
 * @param lastStatusCode  webhook steps: the receiver's last HTTP status
 */
public record TimelineStep(String step, Instant at, long sincePreviousMs, long sinceTriggerMs, String actor,
                           String status, String detail, String eventType, String subscriptionId, Integer attempts,
                           Instant firstAttemptAt, Integer lastStatusCode) {

    static TimelineStep of(String step, Instant at, String actor, String status, String detail) {
        return new TimelineStep(step, at, 0, 0, actor, status, detail, null, null, null, null, null);
    }

    TimelineStep timed(Instant previous, Instant trigger) {
        return new TimelineStep(step, at, at.toEpochMilli() - previous.toEpochMilli(),
                at.toEpochMilli() - trigger.toEpochMilli(), actor, status, detail, eventType, subscriptionId,
                attempts, firstAttemptAt, lastStatusCode);
    }
}
