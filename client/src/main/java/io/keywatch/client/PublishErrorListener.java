package io.keywatch.client;

import io.keywatch.events.UsageEvent;

/**
 * Told about every event that could not be published. Runs on the Kafka producer's I/O thread: keep it short and
 * never block in it.
 */
@FunctionalInterface
public interface PublishErrorListener {

    void onError(UsageEvent event, Exception error);
}
