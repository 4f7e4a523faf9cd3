package io.keywatch.api.silences;

import java.time.Instant;

/**
 * A silence: alerts for its key and/or rule are stored and marked while it is active, and never revoke their key
 * automatically. Active until it expires or is deleted.
 *
 * @param keyId null: every key (then {@code rule} is set)
 * @param rule  null: every rule (then {@code keyId} is set)
 * @param createdBy  the identity that created it, from its credential
 * @param onBehalfOf the creator's note of whom it acted for ({@code X-Keywatch-Actor} or the body's
 *                   {@code createdBy}); never trusted as the creator
 */
public record Silence(
        String id,
        String keyId,
        String rule,
        Instant expiresAt,
        String comment,
        String createdBy,
        String onBehalfOf,
        Instant createdAt,
        Instant deletedAt,
        String deletedBy,
        String deletedOnBehalfOf,
        boolean active) {
}
