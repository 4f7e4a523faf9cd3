-- Issue #4: automatic revocation that can be trusted (decisions, an audit log, a blast-radius guard) and signed
-- webhooks to key issuers through a transactional outbox.

-- ---------------------------------------------------------------------------------------------------------------
-- What the revocation policy decided about a key, one row per decision. A decision waiting for a person
-- (PENDING_APPROVAL) collects the later alerts of its key instead of opening another decision.
CREATE TABLE revocation_decisions (
    id             text COLLATE "C" PRIMARY KEY,
    key_id         text COLLATE "C" NOT NULL,
    -- the rule, severity and alert group of the occurrence that caused the decision
    rule           text        NOT NULL,
    severity       text        NOT NULL,
    alert_id       text COLLATE "C" NOT NULL,
    status         text        NOT NULL,
    -- why a person must decide: PROTECTED (autoRevoke=false) or GUARD (the blast-radius guard held it back)
    pending_reason text,
    reason         text        NOT NULL,
    created_at     timestamptz NOT NULL,
    -- who decided last: policy:<RULE> for the policy, the person who approved or denied
    decided_by     text        NOT NULL,
    decided_at     timestamptz NOT NULL,
    note           text,
    CONSTRAINT revocation_decisions_status_check CHECK (status IN
        ('REVOKED', 'DRY_RUN', 'PENDING_APPROVAL', 'SKIPPED_PROTECTED', 'SKIPPED_SILENCED', 'APPROVED', 'DENIED')),
    CONSTRAINT revocation_decisions_pending_check CHECK (pending_reason IS NULL OR pending_reason IN ('PROTECTED', 'GUARD'))
);
-- At most one decision per key waits for a person.
CREATE UNIQUE INDEX revocation_decisions_pending_key_idx ON revocation_decisions (key_id) WHERE status = 'PENDING_APPROVAL';
-- GET /api/v1/revocations?status=...: newest first, keyset pagination.
CREATE INDEX revocation_decisions_status_idx ON revocation_decisions (status, created_at DESC, id DESC);
CREATE INDEX revocation_decisions_created_idx ON revocation_decisions (created_at DESC, id DESC);
CREATE INDEX revocation_decisions_key_idx ON revocation_decisions (key_id, created_at DESC);

-- Every occurrence the policy acted on, with its decision. The primary key makes a replayed occurrence (the
-- consumer is at-least-once) recognised, so it never decides twice.
CREATE TABLE revocation_decision_alerts (
    occurrence_id text COLLATE "C" PRIMARY KEY,
    decision_id   text COLLATE "C" NOT NULL REFERENCES revocation_decisions (id) ON DELETE CASCADE,
    alert_id      text COLLATE "C" NOT NULL,
    added_at      timestamptz NOT NULL
);
CREATE INDEX revocation_decision_alerts_decision_idx ON revocation_decision_alerts (decision_id, added_at);

-- The audit log: every decision and every action on a key's revocation, append-only.
CREATE TABLE revocation_audit (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    key_id      text COLLATE "C" NOT NULL,
    action      text        NOT NULL,
    actor       text        NOT NULL,
    decision_id text COLLATE "C",
    alert_ids   text[]      NOT NULL DEFAULT '{}',
    reason      text,
    CONSTRAINT revocation_audit_action_check CHECK (action IN ('REVOKED', 'DRY_RUN', 'PENDING_APPROVAL',
        'SKIPPED_PROTECTED', 'SKIPPED_SILENCED', 'APPROVED', 'DENIED', 'REINSTATED', 'MANUAL_REVOKE'))
);
CREATE INDEX revocation_audit_at_idx ON revocation_audit (at DESC, id DESC);
CREATE INDEX revocation_audit_key_idx ON revocation_audit (key_id, at DESC, id DESC);
-- ?action= lists, and the guard's count of automatic revocations in its window
CREATE INDEX revocation_audit_action_idx ON revocation_audit (action, at DESC, id DESC);

-- The blast-radius guard: one row. Automatic decisions lock it (SELECT ... FOR UPDATE) for their whole transaction,
-- so the count of revocations in the window is exact however many consumers and API instances decide at once.
CREATE TABLE revocation_guard (
    id         smallint PRIMARY KEY,
    -- when the guard last raised its REVOCATION_GUARD_TRIPPED alert: at most once per window
    tripped_at timestamptz,
    CONSTRAINT revocation_guard_single_row CHECK (id = 1)
);
INSERT INTO revocation_guard (id) VALUES (1);

-- ---------------------------------------------------------------------------------------------------------------
-- Webhooks. A change (revocation, reinstatement, new alert, pending revocation) writes its webhook_events row and
-- one webhook_deliveries row per matching subscription IN THE SAME TRANSACTION as the change itself (transactional
-- outbox); the relay delivers them, retrying on a schedule, and logs every attempt in webhook_attempts.

-- Endpoints of key issuers.
CREATE TABLE webhook_subscriptions (
    id                    text COLLATE "C" PRIMARY KEY,
    -- checked by SsrfGuard on create (400 with its reason) and again before every attempt
    url                   text        NOT NULL,
    description           text,
    -- wire names (key.revoked, key.reinstated, alert.created, revocation.pending)
    event_types           text[]      NOT NULL,
    -- which keys: registry owner and/or service to match (KeyMetadata.owner/service); null = any
    key_owner             text,
    key_service           text,
    -- whsec_...: HMAC needs the secret itself, so it cannot be hashed. Shown once, never listed, never logged.
    secret                text        NOT NULL,
    -- during a rotation both are used: WebhookSigner.of(current, previous) sends two signatures
    previous_secret       text,
    previous_secret_until timestamptz,
    enabled               boolean     NOT NULL DEFAULT true,
    disabled_reason       text,
    disabled_at           timestamptz,
    created_at            timestamptz NOT NULL,
    created_by            text        NOT NULL,
    updated_at            timestamptz NOT NULL,
    -- deleted subscriptions are kept (their delivery log stays readable to the database), but never used
    deleted_at            timestamptz,
    deleted_by            text,
    CONSTRAINT webhook_subscriptions_rotation_check
        CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL)),
    CONSTRAINT webhook_subscriptions_types_check CHECK (cardinality(event_types) > 0)
);
CREATE INDEX webhook_subscriptions_created_idx ON webhook_subscriptions (created_at DESC, id DESC)
    WHERE deleted_at IS NULL;

-- The outbox: one row per event, whatever the number of subscriptions.
CREATE TABLE webhook_events (
    -- msg_<ULID> (WebhookIds), the webhook-id header; the same on every attempt to every endpoint
    id          text COLLATE "C" PRIMARY KEY,
    type        text        NOT NULL,
    key_id      text,
    occurred_at timestamptz NOT NULL,
    -- WebhookEvent.toJson(): the exact bytes that are signed and sent (bytea: jsonb would re-format them)
    payload     bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    CONSTRAINT webhook_events_type_check
        CHECK (type IN ('key.revoked', 'key.reinstated', 'alert.created', 'revocation.pending'))
);
CREATE INDEX webhook_events_key_idx ON webhook_events (key_id, occurred_at DESC);

-- One delivery per (event, subscription): the unit the relay retries. Its id in the API is the event id.
CREATE TABLE webhook_deliveries (
    event_id         text COLLATE "C" NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
    subscription_id  text COLLATE "C" NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    status           text        NOT NULL DEFAULT 'PENDING',
    -- attempts in all; round_start = attempts made before the latest redelivery, so the retry schedule restarts
    attempts         integer     NOT NULL DEFAULT 0,
    round_start      integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    -- the lease: a relay owns the delivery until then (no transaction stays open across the HTTP call); a relay
    -- that dies mid-attempt leaves a lease that expires, and the delivery is due again
    claimed_until    timestamptz,
    claim_token      text,
    last_status_code integer,
    last_error       text,
    delivered_at     timestamptz,
    failed_at        timestamptz,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    PRIMARY KEY (event_id, subscription_id),
    CONSTRAINT webhook_deliveries_status_check CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED'))
);
-- The relay's query stays an index range however many deliveries are done.
CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'PENDING';
-- The delivery log of one endpoint, newest first.
CREATE INDEX webhook_deliveries_subscription_idx
    ON webhook_deliveries (subscription_id, created_at DESC, event_id DESC);

-- One row per attempt (AttemptResult + NextStep).
CREATE TABLE webhook_attempts (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id        text COLLATE "C" NOT NULL,
    subscription_id text COLLATE "C" NOT NULL,
    attempt         integer     NOT NULL,
    attempted_at    timestamptz NOT NULL,
    outcome         text        NOT NULL,
    status_code     integer,
    latency_ms      bigint      NOT NULL,
    error           text,
    response_body   text,
    retry_after_ms  bigint,
    next_step       text        NOT NULL,
    next_attempt_at timestamptz,
    FOREIGN KEY (event_id, subscription_id)
        REFERENCES webhook_deliveries (event_id, subscription_id) ON DELETE CASCADE,
    CONSTRAINT webhook_attempts_outcome_check CHECK (outcome IN ('DELIVERED', 'RETRY', 'GONE'))
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (event_id, subscription_id, id);
