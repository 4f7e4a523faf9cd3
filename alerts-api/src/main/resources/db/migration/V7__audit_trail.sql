-- Issue #12: an audit trail of every change that cannot be rewritten.
--
-- audit_log is append-only twice over: a trigger refuses UPDATE, DELETE and TRUNCATE for everyone (the table's owner
-- and superusers included, until they disable the trigger), and the application role gets only INSERT and SELECT.
-- Each entry is also chained: hash = SHA-256(prev_hash, canonical entry), computed by the API (AuditTrail) while it
-- holds the lock of audit_chain_head, in the transaction of the change it records. GET /api/v1/audit/verify
-- recomputes the chain.

CREATE TABLE audit_log (
    -- 1, 2, 3... without gaps: given under the chain head's lock, so a deleted entry leaves a hole verify sees
    id             bigint PRIMARY KEY,
    at             timestamptz NOT NULL,
    -- who: the authenticated identity (api:admin, token:<name>, oidc:<subject>), or keywatch itself (system,
    -- policy:<RULE>); its role (null for keywatch itself) and how it was proved (admin-token, api-token, jwt, system)
    identity       text        NOT NULL,
    role           text,
    auth_method    text        NOT NULL,
    -- the X-Keywatch-Actor note: stored beside the identity, never as it
    on_behalf_of   text,
    source_address text,
    request_id     text,
    -- what: alert.acknowledged, key.revoked, webhook.created... and on what
    action         text        NOT NULL,
    target_type    text        NOT NULL,
    target_id      text        NOT NULL,
    -- the target before and after the change; never a secret (webhook secrets appear as their fingerprint)
    before         jsonb,
    after          jsonb,
    prev_hash      text        NOT NULL,
    hash           text        NOT NULL,
    CONSTRAINT audit_log_action_check CHECK (action ~ '^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$'),
    CONSTRAINT audit_log_hash_check CHECK (hash ~ '^[0-9a-f]{64}$' AND prev_hash ~ '^[0-9a-f]{64}$')
);
CREATE INDEX audit_log_at_idx ON audit_log (at, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id);

-- One row: the last entry of the chain. Appends lock it (SELECT ... FOR UPDATE), so entries from several API
-- instances form one chain, and the last entries cannot be removed without the head disagreeing.
CREATE TABLE audit_chain_head (
    id        smallint PRIMARY KEY,
    last_id   bigint NOT NULL,
    last_hash text   NOT NULL,
    CONSTRAINT audit_chain_head_single_row CHECK (id = 1)
);
INSERT INTO audit_chain_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION keywatch_refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION keywatch_refuse_audit_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION keywatch_refuse_audit_change();

-- The revocation decisions' log (V3) was a plain table: append-only from now on too.
CREATE TRIGGER revocation_audit_append_only BEFORE UPDATE OR DELETE ON revocation_audit
    FOR EACH ROW EXECUTE FUNCTION keywatch_refuse_audit_change();
CREATE TRIGGER revocation_audit_no_truncate BEFORE TRUNCATE ON revocation_audit
    FOR EACH STATEMENT EXECUTE FUNCTION keywatch_refuse_audit_change();

-- Privileges: nobody but the owner may change the logs. Privileges do not bind the owner or a superuser (the
-- embedded standalone connects as one): production runs the migrations as the owner and the API as another role.
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, revocation_audit FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE, INSERT ON audit_chain_head FROM PUBLIC;

-- KEYWATCH_DB_APP_ROLE (validated as a plain role name before it gets here): when that role exists, it may only
-- append to and read the logs, and move the chain head.
DO $$
DECLARE
    app_role text := '${appRole}';
BEGIN
    IF app_role <> '' AND EXISTS (SELECT 1 FROM pg_roles WHERE rolname = app_role) THEN
        EXECUTE format('REVOKE ALL ON audit_log, revocation_audit, audit_chain_head FROM %I', app_role);
        EXECUTE format('GRANT SELECT, INSERT ON audit_log, revocation_audit TO %I', app_role);
        EXECUTE format('GRANT SELECT, UPDATE ON audit_chain_head TO %I', app_role);
    END IF;
END;
$$;
