-- The alert change feed behind GET /api/v1/alerts/stream (issue #14): one row per alert per transaction that
-- inserted or updated it. A trigger writes it, in the same transaction as the change, so that no code path (intake,
-- triage, auto-resolve, revocation, silences...) can forget it, and every API instance reads the same feed.
--
-- Sequence values are taken before commit, so seq order is not commit order: a reader that advanced to the highest
-- seq it saw would skip a row committed later with a lower seq. Readers therefore deliver a row only once its
-- transaction (xid) is older than every transaction still running (pg_snapshot_xmin of the current snapshot), in
-- (xid, seq) order: below that horizon no row can appear any more, so a cursor on (xid, seq) never skips one.
CREATE TABLE alert_changes (
    seq      bigserial PRIMARY KEY,
    xid      xid8 NOT NULL DEFAULT pg_current_xact_id(),
    alert_id text NOT NULL,
    change   text NOT NULL CHECK (change IN ('created', 'updated')),
    at       timestamptz NOT NULL DEFAULT now()
);

-- one change per alert per transaction (a fold that also records the revocation outcome is one change)
CREATE UNIQUE INDEX alert_changes_one_per_transaction ON alert_changes (xid, alert_id);
-- the delivery order, and the pruning of rows older than the replay window
CREATE INDEX alert_changes_position ON alert_changes (xid, seq);
CREATE INDEX alert_changes_at ON alert_changes (at);

CREATE FUNCTION keywatch_alert_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO alert_changes (alert_id, change)
    VALUES (NEW.id, CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'updated' END)
    ON CONFLICT (xid, alert_id) DO NOTHING;
    RETURN NULL;
END;
$$;

CREATE TRIGGER alerts_created AFTER INSERT ON alerts
    FOR EACH ROW EXECUTE FUNCTION keywatch_alert_changed();
-- an UPDATE that changes nothing is no change
CREATE TRIGGER alerts_updated AFTER UPDATE ON alerts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION keywatch_alert_changed();

-- KEYWATCH_DB_APP_ROLE: AppRoleGrants grants the API role what it needs here, as on every table (read, insert through
-- the trigger, delete when pruning; never update).
