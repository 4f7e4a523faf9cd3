package io.keywatch.api.http;

import java.util.Set;
import java.util.function.Supplier;

/**
 * Reports the in-process Kafka Streams topology, given its state name (KafkaStreams.State): RUNNING and
 * REBALANCING count as up, every other state (CREATED, PENDING_SHUTDOWN, NOT_RUNNING, ERROR...) as down.
 */
public final class StreamsHealthCheck implements HealthCheck {

    private static final Set<String> UP_STATES = Set.of("RUNNING", "REBALANCING");

    private final Supplier<String> state;

    public StreamsHealthCheck(Supplier<String> state) {
        this.state = state;
    }

    @Override
    public ComponentHealth check() {
        String current;
        try {
            current = state.get();
        } catch (RuntimeException e) {
            return ComponentHealth.down(e.getMessage());
        }
        if (current == null) {
            return ComponentHealth.down("UNKNOWN");
        }
        return UP_STATES.contains(current) ? ComponentHealth.up(current) : ComponentHealth.down(current);
    }
}
