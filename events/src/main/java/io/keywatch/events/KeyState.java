package io.keywatch.events;

import java.time.Instant;
import java.util.Objects;

/**
 * A key's status as keywatch knows it; published to the compacted key-state topic on every change.
 *
 * @param changedBy who made the change: a person's token name, or {@code policy:<rule>} for automatic revocation
 */
public record KeyState(String keyId, KeyStatus status, Instant changedAt, String reason, String changedBy) {

    public KeyState {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(changedAt, "changedAt");
    }

    public boolean isRevoked() {
        return status == KeyStatus.REVOKED;
    }
}
