package io.keywatch.api.keys;

import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.events.KeyStatus;
import java.time.Instant;
import java.util.List;

/** What {@code GET /api/v1/keys/{keyId}} shows: the key's state and its newest alerts. */
public record KeyView(
        String keyId,
        KeyStatus status,
        Instant revokedAt,
        String reason,
        String changedBy,
        List<StoredAlert> recentAlerts) {

    public KeyView {
        recentAlerts = List.copyOf(recentAlerts);
    }

    public static KeyView of(String keyId, KeyRecord key, List<StoredAlert> recentAlerts) {
        if (key == null) {
            return new KeyView(keyId, KeyStatus.ACTIVE, null, null, null, recentAlerts);
        }
        return new KeyView(keyId, key.status(), key.isRevoked() ? key.changedAt() : null,
                key.reason(), key.changedBy(), recentAlerts);
    }
}
