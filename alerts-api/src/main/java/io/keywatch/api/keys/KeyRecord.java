package io.keywatch.api.keys;

import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.time.Instant;

/**
 * A key's row in the registry.
 *
 * @param statePublished whether Kafka acknowledged the {@link KeyState} for this change
 */
public record KeyRecord(
        String keyId,
        KeyStatus status,
        Instant changedAt,
        String reason,
        String changedBy,
        boolean statePublished) {

    public KeyState toKeyState() {
        return new KeyState(keyId, status, changedAt, reason, changedBy);
    }

    public boolean isRevoked() {
        return status == KeyStatus.REVOKED;
    }
}
