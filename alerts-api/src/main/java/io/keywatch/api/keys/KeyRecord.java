package io.keywatch.api.keys;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.time.Instant;

/**
 * A key's row in the registry: its status, its registry metadata, or both.
 *
 * @param changedAt         when the key's published state last changed (status or metadata)
 * @param reason            why the key was revoked; null for an active key
 * @param changedBy         who revoked the key; for an active key, who last changed its registry entry
 * @param statePublished    whether Kafka acknowledged the {@link KeyState} for the latest change
 * @param metadata          the registry entry; null for a key that was never registered (only revoked)
 * @param revokedAt         when the key was revoked; null for an active key
 * @param registeredAt      when the registry entry was created
 * @param registryUpdatedAt when the registry entry last changed
 * @param registryUpdatedBy who last changed the registry entry
 * @param changedOnBehalfOf the "on behalf of" note of {@code changedBy}'s change, if any
 * @param registryUpdatedOnBehalfOf the note of {@code registryUpdatedBy}'s change, if any
 */
public record KeyRecord(
        String keyId,
        KeyStatus status,
        Instant changedAt,
        String reason,
        String changedBy,
        boolean statePublished,
        KeyMetadata metadata,
        Instant revokedAt,
        Instant registeredAt,
        Instant registryUpdatedAt,
        String registryUpdatedBy,
        String changedOnBehalfOf,
        String registryUpdatedOnBehalfOf) {

    /** The full state, metadata included: the key-state topic is compacted, so its latest record must say it all. */
    public KeyState toKeyState() {
        return new KeyState(keyId, status, changedAt, reason, changedBy, metadata);
    }

    public boolean isRevoked() {
        return status == KeyStatus.REVOKED;
    }

    public boolean isRegistered() {
        return metadata != null;
    }

    KeyRecord published() {
        return new KeyRecord(keyId, status, changedAt, reason, changedBy, true, metadata, revokedAt, registeredAt,
                registryUpdatedAt, registryUpdatedBy, changedOnBehalfOf, registryUpdatedOnBehalfOf);
    }
}
