package io.keywatch.api.keys;

import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyStatus;
import java.time.Instant;
import java.util.List;

/**
 * What the API shows of a key: its state, its registry entry and (on {@code GET /api/v1/keys/{keyId}} only) its
 * newest alerts.
 *
 * @param registered   whether the key has a registry entry
 * @param recentAlerts null (left out) in lists
 */
public record KeyView(
        String keyId,
        KeyStatus status,
        boolean registered,
        Instant revokedAt,
        String reason,
        String changedBy,
        String changedOnBehalfOf,
        Instant changedAt,
        KeyMetadata metadata,
        Instant registeredAt,
        Instant registryUpdatedAt,
        String registryUpdatedBy,
        String registryUpdatedOnBehalfOf,
        List<StoredAlert> recentAlerts) {

    public KeyView {
        recentAlerts = recentAlerts == null ? null : List.copyOf(recentAlerts);
    }

    public static KeyView of(String keyId, KeyRecord key, List<StoredAlert> recentAlerts) {
        if (key == null) {
            return new KeyView(keyId, KeyStatus.ACTIVE, false, null, null, null, null, null, null, null, null, null,
                    null, recentAlerts);
        }
        return new KeyView(keyId, key.status(), key.isRegistered(),
                key.isRevoked() ? (key.revokedAt() != null ? key.revokedAt() : key.changedAt()) : null,
                key.reason(), key.changedBy(), key.changedOnBehalfOf(), key.changedAt(), key.metadata(),
                key.registeredAt(), key.registryUpdatedAt(), key.registryUpdatedBy(), key.registryUpdatedOnBehalfOf(),
                recentAlerts);
    }

    /** A list item: no alerts. */
    public static KeyView summary(KeyRecord key) {
        return of(key.keyId(), key, null);
    }
}
