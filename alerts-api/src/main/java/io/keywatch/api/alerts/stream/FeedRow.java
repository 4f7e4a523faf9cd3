package io.keywatch.api.alerts.stream;

/** One row of the alert change feed: which alert changed, and whether the change created it. */
record FeedRow(FeedPosition position, String alertId, boolean created) {
}
