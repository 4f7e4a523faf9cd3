-- Alerts as the topology raised them, plus the lifecycle status the security team moves them through.
CREATE TABLE alerts (
    -- "C" collation: ids are machine identifiers; byte order is fast and the same in every locale
    id            text COLLATE "C" PRIMARY KEY,
    rule          text             NOT NULL,
    severity      text             NOT NULL,
    -- Severity.ordinal(): lets "severity >= HIGH" be a plain range filter instead of a list of names
    severity_rank smallint         NOT NULL,
    key_id        text             NOT NULL,
    window_start  timestamptz      NOT NULL,
    window_end    timestamptz      NOT NULL,
    triggered_at  timestamptz,
    -- never null: the API pages on (detected_at, id), so an alert without one gets the time it was stored
    detected_at   timestamptz      NOT NULL,
    observed      double precision NOT NULL,
    threshold     double precision NOT NULL,
    baseline      double precision,
    summary       text,
    evidence      jsonb            NOT NULL DEFAULT '{}'::jsonb,
    status        text             NOT NULL DEFAULT 'OPEN',
    stored_at     timestamptz      NOT NULL DEFAULT now()
);

-- Keyset pagination, newest first: WHERE (detected_at, id) < (:at, :id) ORDER BY detected_at DESC, id DESC.
CREATE INDEX alerts_detected_idx ON alerts (detected_at DESC, id DESC);
-- The same order within one key (key page, ?keyId=) and within one rule (?rule=).
CREATE INDEX alerts_key_detected_idx ON alerts (key_id, detected_at DESC, id DESC);
CREATE INDEX alerts_rule_detected_idx ON alerts (rule, detected_at DESC, id DESC);
-- Triage lists (?status=OPEN) stay fast once most alerts are closed.
CREATE INDEX alerts_status_detected_idx ON alerts (status, detected_at DESC, id DESC);

-- Keys keywatch has acted on. A key without a row is ACTIVE.
CREATE TABLE keys (
    key_id          text        PRIMARY KEY,
    status          text        NOT NULL,
    changed_at      timestamptz NOT NULL,
    reason          text,
    changed_by      text,
    -- false between the database commit and Kafka's acknowledgement of the KeyState event, so a retried
    -- revocation re-announces a state whose first announcement failed (the transactional outbox replaces this)
    state_published boolean     NOT NULL DEFAULT false,
    CONSTRAINT keys_status_check CHECK (status IN ('ACTIVE', 'REVOKED'))
);
