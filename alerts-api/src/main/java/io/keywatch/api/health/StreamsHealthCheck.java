package io.keywatch.api.health;

import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Reports the in-process Kafka Streams topology, given its state name (KafkaStreams.State) and how many state
 * stores it is restoring:
 * <ul>
 *   <li>RUNNING with nothing to restore: UP, ready;</li>
 *   <li>RUNNING while restoring, REBALANCING, CREATED: DEGRADED and not ready (no detection is going on for some
 *       partitions: after a restart this lasts until the group has rebalanced and the stores are restored);</li>
 *   <li>PENDING_SHUTDOWN: DOWN, not ready (it is being closed);</li>
 *   <li>PENDING_ERROR, ERROR, NOT_RUNNING, or an unknown state: DOWN and not live (its threads are gone; only a
 *       restart brings detection back).</li>
 * </ul>
 */
public final class StreamsHealthCheck implements HealthCheck {

    private static final Set<String> STARTING = Set.of("REBALANCING", "CREATED");

    private final Supplier<String> state;
    private final IntSupplier restoringStores;

    public StreamsHealthCheck(Supplier<String> state, IntSupplier restoringStores) {
        this.state = state;
        this.restoringStores = restoringStores;
    }

    public StreamsHealthCheck(Supplier<String> state) {
        this(state, () -> 0);
    }

    @Override
    public ComponentHealth check() {
        String current;
        int restoring;
        try {
            current = state.get();
            restoring = restoringStores.getAsInt();
        } catch (RuntimeException e) {
            return ComponentHealth.down(String.valueOf(e.getMessage()));
        }
        if (current == null) {
            return ComponentHealth.dead("UNKNOWN", null);
        }
        Map<String, Object> figures = Map.of("state", current, "restoringStores", restoring);
        if (current.equals("RUNNING")) {
            return restoring > 0
                    ? ComponentHealth.notReady("RUNNING, restoring " + restoring + " state store(s)", figures)
                    : new ComponentHealth(ComponentHealth.UP, current, figures);
        }
        if (STARTING.contains(current)) {
            return ComponentHealth.notReady(current, figures);
        }
        if (current.equals("PENDING_SHUTDOWN")) {
            return new ComponentHealth(ComponentHealth.DOWN, current, figures);
        }
        return ComponentHealth.dead(current, figures);
    }

    @Override
    public boolean checksLiveness() {
        return true;
    }
}
