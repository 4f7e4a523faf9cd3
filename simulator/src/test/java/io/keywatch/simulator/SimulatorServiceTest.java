package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.events.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorServiceTest {

    @Test
    void backfillsHistoryThenContinuesInRealTimeWithoutAGap() {
        List<UsageEvent> received = new ArrayList<>();
        SimulatorSettings settings = new SimulatorSettings(20, 42L, 1.0, 60, 120, Duration.ZERO, Duration.ofMinutes(3));
        Instant started = Instant.now();
        // the sink is only called from one thread at a time (backfill, then the simulator thread), but read here
        try (SimulatorService service = new SimulatorService(settings, e -> {
            synchronized (received) {
                received.add(e);
            }
        }, Clock.systemUTC(), Duration.ZERO, incident -> { })) {
            service.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                synchronized (received) {
                    return !received.isEmpty() && received.get(received.size() - 1).timestamp().isAfter(started);
                }
            });
        }

        synchronized (received) {
            assertThat(received.get(0).timestamp()).isBefore(started.minus(Duration.ofMinutes(2)));
            assertThat(received).isSortedAccordingTo(TrafficModel.BY_TIME);
            // no gap where backfill hands over to real time: some event in every 5 s, at ~20+ events/s
            for (int i = 1; i < received.size(); i++) {
                assertThat(Duration.between(received.get(i - 1).timestamp(), received.get(i).timestamp()))
                        .isLessThan(Duration.ofSeconds(5));
            }
        }
    }
}
