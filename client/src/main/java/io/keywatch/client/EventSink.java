package io.keywatch.client;

import io.keywatch.events.UsageEvent;

/**
 * Where usage events go: Kafka through {@link UsageEventPublisher}, a JSON-lines file, or a plain collection in
 * tests ({@code List<UsageEvent> seen = ...; EventSink sink = seen::add;}).
 */
@FunctionalInterface
public interface EventSink {

    /** Takes one event; asynchronous sinks report delivery failures their own way rather than throwing here. */
    void accept(UsageEvent event);

    /** Blocks until everything accepted so far is written; a no-op for sinks that write immediately. */
    default void flush() {
    }
}
