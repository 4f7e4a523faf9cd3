-- Webhook signing secrets sealed at rest (issue #13): secret and previous_secret hold kid:nonce:ciphertext
-- (AES-256-GCM under KEYWATCH_SECRETS_KEYS, the subscription id as associated data; see SecretBox). Rows written
-- in clear before this version are sealed by the API's start-up step (WebhookSecretSealing), which also fills the
-- fingerprint: the listing shows it without decrypting anything.
ALTER TABLE webhook_subscriptions ADD COLUMN secret_fingerprint text;

-- No clear secret is written any more. NOT VALID: rows from before are sealed by the start-up step right after the
-- migration, which this constraint allows (it checks the new version of a row, not the old one).
ALTER TABLE webhook_subscriptions ADD CONSTRAINT webhook_subscriptions_secret_sealed
    CHECK (position(':' IN secret) > 0 AND (previous_secret IS NULL OR position(':' IN previous_secret) > 0))
    NOT VALID;
