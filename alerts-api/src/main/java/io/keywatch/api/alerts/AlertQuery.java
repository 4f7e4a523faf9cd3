package io.keywatch.api.alerts;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Instant;

/**
 * One page request for alerts; null fields do not filter.
 *
 * @param minSeverity alerts at or above this severity
 * @param since       detectedAt (first seen) at or after (inclusive)
 * @param until       detectedAt (first seen) before (exclusive)
 * @param after       the previous page's cursor, null for the first page
 * @param silenced    only silenced (true) or only unsilenced (false) alerts
 */
public record AlertQuery(
        String keyId,
        AlertRule rule,
        Severity minSeverity,
        AlertStatus status,
        Instant since,
        Instant until,
        int limit,
        AlertCursor after,
        Boolean silenced) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    public AlertQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("since must be before until, got since=" + since + " until=" + until);
        }
    }

    /** Without the silenced filter. */
    public AlertQuery(String keyId, AlertRule rule, Severity minSeverity, AlertStatus status, Instant since,
                      Instant until, int limit, AlertCursor after) {
        this(keyId, rule, minSeverity, status, since, until, limit, after, null);
    }

    /** The newest alerts, no filter. */
    public static AlertQuery newest(int limit) {
        return new AlertQuery(null, null, null, null, null, null, limit, null, null);
    }

    /**
     * Whether the alert passes this query's filters (key, rule, minimum severity, status, silenced): what the live
     * stream applies to each change. The time range, limit and cursor are the list's paging, not filters of a change.
     */
    public boolean matches(StoredAlert alert) {
        return (keyId == null || keyId.equals(alert.keyId()))
                && (rule == null || rule == alert.rule())
                && (minSeverity == null || alert.severity().isAtLeast(minSeverity))
                && (status == null || status == alert.status())
                && (silenced == null || silenced == alert.silenced());
    }

    public AlertQuery withAfter(AlertCursor cursor) {
        return new AlertQuery(keyId, rule, minSeverity, status, since, until, limit, cursor, silenced);
    }
}
