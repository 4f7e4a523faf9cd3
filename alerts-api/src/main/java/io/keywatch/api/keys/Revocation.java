package io.keywatch.api.keys;

/**
 * The outcome of asking the registry to revoke a key.
 *
 * @param changed true when this call revoked the key; false when it was revoked already
 */
public record Revocation(KeyRecord key, boolean changed) {
}
