package io.keywatch.streams.route;

import io.keywatch.events.UsageEvent;

/**
 * An event and whether it is already where its key's task reads it: keyed by its key id on that key id's partition.
 *
 * @param home false when the record key is not the key id, or the producer's partitioner put it elsewhere
 */
public record Placed(UsageEvent event, boolean home) {
}
