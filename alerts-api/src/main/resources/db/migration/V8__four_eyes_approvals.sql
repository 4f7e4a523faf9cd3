-- Issue #12, four eyes: changes that need a second identity's approval wait here as requests. A request is PENDING
-- until another identity approves it (APPROVED, then carried out; FAILED when the change was no longer possible),
-- denies it (DENIED), or it passes expires_at (EXPIRED: swept on the next request, reported as such at once).
CREATE TABLE approval_requests (
    id                 text COLLATE "C" PRIMARY KEY,
    -- reinstate-key | rule-wide-silence
    action             text        NOT NULL,
    -- reinstate-key: the key; rule-wide-silence: null
    key_id             text COLLATE "C",
    -- rule-wide-silence: the rule and when the silence would end
    rule               text,
    silence_expires_at timestamptz,
    -- the reinstatement's reason, or the silence's comment
    reason             text        NOT NULL,
    -- who asked: the authenticated identity and its role, and the optional on-behalf-of note beside it
    requested_by       text        NOT NULL,
    requested_role     text        NOT NULL,
    on_behalf_of       text,
    requested_at       timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    status             text        NOT NULL DEFAULT 'PENDING',
    decided_by         text,
    decided_at         timestamptz,
    decision_note      text,
    -- what carrying the change out gave: the silence's id, or why it could not be done
    outcome            text,
    CONSTRAINT approval_requests_action_check CHECK (action IN ('reinstate-key', 'rule-wide-silence')),
    CONSTRAINT approval_requests_status_check
        CHECK (status IN ('PENDING', 'APPROVED', 'DENIED', 'EXPIRED', 'FAILED')),
    CONSTRAINT approval_requests_subject_check CHECK (
        (action = 'reinstate-key' AND key_id IS NOT NULL)
        OR (action = 'rule-wide-silence' AND key_id IS NULL AND rule IS NOT NULL AND silence_expires_at IS NOT NULL)),
    CONSTRAINT approval_requests_decided_check
        CHECK ((status IN ('PENDING', 'EXPIRED')) = (decided_by IS NULL AND decided_at IS NULL))
);

-- One pending reinstatement per key: a second request while one waits is refused (409), not queued.
CREATE UNIQUE INDEX approval_requests_one_pending_reinstatement_idx
    ON approval_requests (key_id) WHERE status = 'PENDING' AND action = 'reinstate-key';
-- GET /api/v1/approvals?status=..., newest first
CREATE INDEX approval_requests_status_idx ON approval_requests (status, requested_at DESC, id DESC);
CREATE INDEX approval_requests_requested_idx ON approval_requests (requested_at DESC, id DESC);
