package io.keywatch.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamsHealthCheckTest {

    private final AtomicReference<String> state = new AtomicReference<>("RUNNING");
    private final AtomicInteger restoring = new AtomicInteger();
    private final StreamsHealthCheck check = new StreamsHealthCheck(state::get, restoring::get);

    @Test
    void runningWithNothingToRestoreIsUpAndReady() {
        ComponentHealth health = check.check();

        assertThat(health.status()).isEqualTo("UP");
        assertThat(health.ready()).isTrue();
        assertThat(health.live()).isTrue();
    }

    @Test
    void rebalancingIsLiveButNotReadyAndNotUp() {
        state.set("REBALANCING");

        ComponentHealth health = check.check();

        assertThat(health.status()).as("no detection happens while the group rebalances").isEqualTo("DEGRADED");
        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
        assertThat(health.detail()).isEqualTo("REBALANCING");
    }

    @Test
    void restoringStateStoresIsNotReady() {
        restoring.set(2);

        ComponentHealth health = check.check();

        assertThat(health.ready()).isFalse();
        assertThat(health.detail()).isEqualTo("RUNNING, restoring 2 state store(s)");
        assertThat(health.figures()).containsEntry("restoringStores", 2);
    }

    @Test
    void anEndedTopologyIsNeitherLiveNorReady() {
        for (String ended : new String[] {"ERROR", "PENDING_ERROR", "NOT_RUNNING"}) {
            state.set(ended);

            ComponentHealth health = check.check();

            assertThat(health.status()).isEqualTo("DOWN");
            assertThat(health.live()).as(ended).isFalse();
            assertThat(health.ready()).as(ended).isFalse();
        }
    }

    @Test
    void shuttingDownIsNotReadyButStillLive() {
        state.set("PENDING_SHUTDOWN");

        ComponentHealth health = check.check();

        assertThat(health.ready()).isFalse();
        assertThat(health.live()).isTrue();
    }
}
