package io.keywatch.api.alerts;

import java.time.Instant;

/**
 * One change of an alert.
 *
 * @param actor      the authenticated identity of an API call ({@code api:admin}, {@code token:<name>}, ...);
 *                   {@code system} for intake and the auto-resolve job; {@code policy:<RULE>} for automatic revocation
 * @param onBehalfOf the caller's note ({@code X-Keywatch-Actor}) of whom it acted for; null without one
 * @param action opened, escalated, silenced, unsilenced, acknowledged, resolved, auto_revocation
 */
public record AlertHistoryEntry(
        Instant at,
        String actor,
        String onBehalfOf,
        String action,
        AlertStatus fromStatus,
        AlertStatus toStatus,
        String resolution,
        String note) {
}
