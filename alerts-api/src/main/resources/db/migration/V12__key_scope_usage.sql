-- #15 part 5: which scopes each key actually used, as the topology publishes it on the key-scopes topic (signed
-- KeyScopeUsage records), for the least-privilege report. Written only by the key-scopes intake, idempotently: a
-- replayed or out-of-order copy never moves a day backwards (first_seen only earlier, last_used only later).
-- "C" collation as keys.key_id, so that the report's keyset pagination joins and sorts on the same order.

-- One row per key the topology has reported on: since when keywatch has watched it.
CREATE TABLE key_scope_observations (
    key_id      text COLLATE "C" PRIMARY KEY,
    -- the UTC day keywatch first saw an event of the key: how far back "not used" can be claimed
    first_seen  date        NOT NULL,
    -- the key used more than KeyScopeUsage.MAX_SCOPES scopes, so the topology kept only the most recently used
    truncated   boolean     NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL
);

-- One row per key and scope it used: the last UTC day an event of the key carried the scope.
CREATE TABLE key_scope_usage (
    key_id    text COLLATE "C" NOT NULL REFERENCES key_scope_observations (key_id),
    scope     text             NOT NULL,
    last_used date             NOT NULL,
    PRIMARY KEY (key_id, scope)
);
