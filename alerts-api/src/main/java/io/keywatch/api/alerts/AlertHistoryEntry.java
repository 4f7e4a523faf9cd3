package io.keywatch.api.alerts;

import java.time.Instant;

/**
 * One change of an alert.
 *
 * @param actor  {@code api:admin} or the {@code X-Keywatch-Actor} of an API call; {@code system} for intake and the
 *               auto-resolve job; {@code policy:<RULE>} for automatic revocation
 * @param action opened, escalated, silenced, unsilenced, acknowledged, resolved, auto_revocation
 */
public record AlertHistoryEntry(
        Instant at,
        String actor,
        String action,
        AlertStatus fromStatus,
        AlertStatus toStatus,
        String resolution,
        String note) {
}
