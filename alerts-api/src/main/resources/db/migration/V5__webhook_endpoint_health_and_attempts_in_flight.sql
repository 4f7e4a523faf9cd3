-- Issue #11: deliveries that are not lost.
--
-- A subscription whose delivery used up its retry schedule is FAILING (not its deliveries): its pending deliveries
-- are kept and not sent, except one probe (the oldest pending delivery) on a capped exponential backoff; when a probe
-- is delivered the subscription is HEALTHY again and the kept deliveries flow in order.
ALTER TABLE webhook_subscriptions
    ADD COLUMN state          text    NOT NULL DEFAULT 'HEALTHY',
    -- when the current failing episode began (null while healthy); the WEBHOOK_FAILING alert is raised once per episode
    ADD COLUMN failing_since  timestamptz,
    -- the last failed attempt's reason, kept after recovery for the record
    ADD COLUMN last_error     text,
    -- probes made in the current episode, and when the next one is due
    ADD COLUMN probe_attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN next_probe_at  timestamptz,
    ADD CONSTRAINT webhook_subscriptions_state_check CHECK (state IN ('HEALTHY', 'FAILING')),
    ADD CONSTRAINT webhook_subscriptions_failing_check
        CHECK ((state = 'FAILING') = (failing_since IS NOT NULL AND next_probe_at IS NOT NULL));

-- Every attempt is written before it is sent (IN_FLIGHT) and its outcome after; an attempt whose outcome was never
-- written (the relay crashed or lost its lease mid-send) becomes UNKNOWN when the delivery is claimed again, so the
-- log never under-counts what receivers may have seen.
ALTER TABLE webhook_attempts DROP CONSTRAINT webhook_attempts_outcome_check;
ALTER TABLE webhook_attempts ADD CONSTRAINT webhook_attempts_outcome_check
    CHECK (outcome IN ('IN_FLIGHT', 'UNKNOWN', 'DELIVERED', 'RETRY', 'GONE'));

-- The probe: the oldest pending delivery of a subscription.
CREATE INDEX webhook_deliveries_pending_oldest_idx
    ON webhook_deliveries (subscription_id, created_at, event_id) WHERE status = 'PENDING';
-- recover: a subscription's FAILED deliveries created in a time range.
CREATE INDEX webhook_deliveries_failed_created_idx
    ON webhook_deliveries (subscription_id, created_at) WHERE status = 'FAILED';
-- The relay's probe look-up: failing subscriptions whose probe is due.
CREATE INDEX webhook_subscriptions_probe_idx ON webhook_subscriptions (next_probe_at) WHERE state = 'FAILING';
