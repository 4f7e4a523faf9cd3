package io.keywatch.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A key's status as keywatch knows it; published to the compacted key-state topic on every change.
 *
 * @param changedBy who made the change: {@code api:admin} for a person, {@code policy:<RULE>} for automatic revocation
 * @param metadata  the key's registry entry; null for a key that was never registered
 */
public record KeyState(String keyId, KeyStatus status, Instant changedAt, String reason, String changedBy,
                       KeyMetadata metadata) {

    public KeyState {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    /** A state without registry metadata. */
    public KeyState(String keyId, KeyStatus status, Instant changedAt, String reason, String changedBy) {
        this(keyId, status, changedAt, reason, changedBy, null);
    }

    public boolean isRevoked() {
        return status == KeyStatus.REVOKED;
    }

    public boolean isRegistered() {
        return metadata != null;
    }

    public KeyState withMetadata(KeyMetadata newMetadata) {
        return new KeyState(keyId, status, changedAt, reason, changedBy, newMetadata);
    }
}
