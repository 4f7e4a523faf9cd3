-- Named API tokens (issue #12). The secret is never stored: only SHA-256 of it (see ApiTokenSecrets for why a plain
-- hash is enough for a 256-bit random secret). Rows are never deleted: a revoked token stays for the record.
CREATE TABLE api_tokens (
    id                   text        PRIMARY KEY,
    name                 text        NOT NULL,
    role                 text        NOT NULL,
    description          text,
    secret_hash          bytea       NOT NULL,
    created_by           text        NOT NULL,
    created_on_behalf_of text,
    created_at           timestamptz NOT NULL,
    expires_at           timestamptz NOT NULL,
    last_used_at         timestamptz,
    revoked_at           timestamptz,
    revoked_by           text,
    revoked_on_behalf_of text,
    CONSTRAINT api_tokens_role_check CHECK (role IN ('viewer', 'responder', 'admin')),
    CONSTRAINT api_tokens_hash_length CHECK (octet_length(secret_hash) = 32)
);
-- names are identities (token:<name>): "CI" and "ci" must not be two of them
CREATE UNIQUE INDEX api_tokens_name_idx ON api_tokens (lower(name));
CREATE INDEX api_tokens_created_idx ON api_tokens (created_at DESC, id DESC);

-- The actor columns hold the authenticated identity; what a caller says about whom it acts for
-- (X-Keywatch-Actor) is kept beside it, never instead of it.
ALTER TABLE alert_history ADD COLUMN on_behalf_of text;
ALTER TABLE silences
    ADD COLUMN on_behalf_of         text,
    ADD COLUMN deleted_on_behalf_of text;
ALTER TABLE keys
    ADD COLUMN changed_on_behalf_of          text,
    ADD COLUMN registry_updated_on_behalf_of text;
ALTER TABLE revocation_audit ADD COLUMN on_behalf_of text;
ALTER TABLE revocation_decisions ADD COLUMN decided_on_behalf_of text;
ALTER TABLE webhook_subscriptions
    ADD COLUMN on_behalf_of         text,
    ADD COLUMN deleted_on_behalf_of text;
