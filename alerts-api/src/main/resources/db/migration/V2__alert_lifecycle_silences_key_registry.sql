-- Issue #3: alerts become groups (one open alert per rule and key), with a lifecycle, a history and silences;
-- the keys table becomes the key registry.

-- ---------------------------------------------------------------------------------------------------------------
-- Alert groups. A row of `alerts` is now one group of occurrences of a rule for a key. Its id is the id of its first
-- occurrence (deterministic, so a replay into an empty database builds the same ids); detected_at is the first
-- occurrence's detection time (firstSeen) and stays the stable keyset-pagination key.
ALTER TABLE alerts
    ADD COLUMN fingerprint     text COLLATE "C",
    ADD COLUMN occurrences     integer     NOT NULL DEFAULT 1,
    ADD COLUMN last_seen       timestamptz,
    ADD COLUMN resolution      text,
    ADD COLUMN acknowledged_at timestamptz,
    ADD COLUMN acknowledged_by text,
    ADD COLUMN resolved_at     timestamptz,
    ADD COLUMN resolved_by     text,
    ADD COLUMN silenced        boolean     NOT NULL DEFAULT false,
    ADD COLUMN silence_id      text,
    -- what automatic revocation did for this alert: REVOKED, SKIPPED_PROTECTED, SKIPPED_SILENCED (null: nothing)
    ADD COLUMN auto_revocation text,
    ADD COLUMN updated_at      timestamptz;

UPDATE alerts SET fingerprint = rule || ':' || key_id, last_seen = detected_at, updated_at = stored_at;
-- no API resolved alerts before this version; a row resolved by hand gets a resolution so the check below holds
UPDATE alerts SET resolution = 'other', resolved_at = stored_at, resolved_by = 'system' WHERE status = 'RESOLVED';

ALTER TABLE alerts
    ALTER COLUMN fingerprint SET NOT NULL,
    ALTER COLUMN last_seen SET NOT NULL,
    ALTER COLUMN updated_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now(),
    ADD CONSTRAINT alerts_status_check CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
    ADD CONSTRAINT alerts_resolution_check CHECK (
        (status = 'RESOLVED') = (resolution IS NOT NULL)
        AND (resolution IS NULL
             OR resolution IN ('false_positive', 'revoked', 'expected', 'fixed', 'other', 'auto_resolved')));

-- Every alert id the topology sent, mapped to the group it was folded into: a replayed occurrence is recognised
-- (and does not count twice), and GET /api/v1/alerts/{id} resolves an occurrence id to its group.
CREATE TABLE alert_occurrences (
    id            text COLLATE "C" PRIMARY KEY,
    alert_id      text COLLATE "C" NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    -- the highest severity received for this occurrence: an escalation re-sent with the same id raises it
    severity_rank smallint    NOT NULL,
    window_start  timestamptz NOT NULL,
    detected_at   timestamptz NOT NULL,
    -- the silence that covered the occurrence when it arrived; replays decide on revocation the same way
    silence_id    text,
    received_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_occurrences_alert_idx ON alert_occurrences (alert_id, detected_at);

-- Existing alerts: each is its own first occurrence...
INSERT INTO alert_occurrences (id, alert_id, severity_rank, window_start, detected_at, received_at)
SELECT id, id, severity_rank, window_start, detected_at, stored_at FROM alerts;

-- ...and the unresolved alerts of one rule and key fold into the earliest of them.
WITH ranked AS (
    SELECT id, first_value(id) OVER (PARTITION BY fingerprint ORDER BY detected_at, id) AS keep_id
    FROM alerts
    WHERE status <> 'RESOLVED')
UPDATE alert_occurrences o SET alert_id = r.keep_id
FROM ranked r
WHERE o.id = r.id AND r.id <> r.keep_id;

UPDATE alerts g
SET occurrences   = agg.n,
    last_seen     = agg.last_seen,
    severity_rank = agg.max_rank,
    severity      = (ARRAY ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])[agg.max_rank + 1]
FROM (SELECT o.alert_id, count(*) AS n, max(o.detected_at) AS last_seen, max(o.severity_rank) AS max_rank
      FROM alert_occurrences o
      GROUP BY o.alert_id
      HAVING count(*) > 1) agg
WHERE g.id = agg.alert_id;

DELETE FROM alerts a WHERE NOT EXISTS (SELECT 1 FROM alert_occurrences o WHERE o.alert_id = a.id);

-- At most one unresolved alert per rule and key; also the index intake uses to find it.
CREATE UNIQUE INDEX alerts_open_fingerprint_idx ON alerts (fingerprint) WHERE status <> 'RESOLVED';
-- The auto-resolve job: unresolved alerts by how long they have been quiet.
CREATE INDEX alerts_unresolved_last_seen_idx ON alerts (last_seen) WHERE status <> 'RESOLVED';
-- ?silenced=true lists are rare and small: a partial index in page order.
CREATE INDEX alerts_silenced_detected_idx ON alerts (detected_at DESC, id DESC) WHERE silenced;

-- Who changed what, when: status changes (with note and resolution), escalations, silencing, automatic revocation.
CREATE TABLE alert_history (
    id          bigserial PRIMARY KEY,
    alert_id    text COLLATE "C" NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    at          timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL,
    from_status text,
    to_status   text,
    resolution  text,
    note        text,
    -- set on entries that intake writes, so a replayed alert does not write them twice
    dedupe_key  text UNIQUE
);
CREATE INDEX alert_history_alert_idx ON alert_history (alert_id, id);

-- ---------------------------------------------------------------------------------------------------------------
-- Silences: alerts matching an active silence are stored, marked, and never revoke their key automatically.
CREATE TABLE silences (
    id         text COLLATE "C" PRIMARY KEY,
    key_id     text,
    rule       text,
    expires_at timestamptz NOT NULL,
    comment    text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    deleted_at timestamptz,
    deleted_by text,
    CONSTRAINT silences_matcher_check CHECK (key_id IS NOT NULL OR rule IS NOT NULL)
);
-- Intake looks for the active silences of one key or one rule.
CREATE INDEX silences_active_key_idx ON silences (key_id, expires_at) WHERE deleted_at IS NULL;
CREATE INDEX silences_active_rule_idx ON silences (rule, expires_at) WHERE deleted_at IS NULL;
CREATE INDEX silences_created_idx ON silences (created_at DESC, id DESC);

-- ---------------------------------------------------------------------------------------------------------------
-- The key registry. A row is a key that is registered, revoked, or both. "C" collation: byte order for the keyset
-- pagination and an index that serves prefix searches (key_id LIKE 'prefix%').
ALTER TABLE keys
    ALTER COLUMN key_id TYPE text COLLATE "C",
    -- the KeyMetadata JSON as published on the key-state topic; null for a key that was never registered
    ADD COLUMN metadata            jsonb,
    -- copies of metadata fields the list filters on
    ADD COLUMN owner               text,
    ADD COLUMN service             text,
    ADD COLUMN revoked_at          timestamptz,
    ADD COLUMN registered_at       timestamptz,
    ADD COLUMN registry_updated_at timestamptz,
    ADD COLUMN registry_updated_by text;

UPDATE keys SET revoked_at = changed_at WHERE status = 'REVOKED';

CREATE INDEX keys_owner_idx ON keys (owner, key_id);
CREATE INDEX keys_service_idx ON keys (service, key_id);
CREATE INDEX keys_unpublished_idx ON keys (changed_at) WHERE NOT state_published;
