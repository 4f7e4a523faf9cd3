package io.keywatch.api.alerts;

import java.util.List;

/**
 * An alert's timeline: its steps in order with their latencies.
 *
 * @param truncated whether decisions or deliveries were left out (more than {@link AlertTimelines#MAX_DECISIONS}
 *                  audit entries or {@link AlertTimelines#MAX_DELIVERIES} deliveries)
 */
public record AlertTimeline(String alertId, String keyId, List<TimelineStep> steps, boolean truncated) {
}
