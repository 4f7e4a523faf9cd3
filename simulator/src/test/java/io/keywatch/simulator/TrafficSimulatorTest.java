package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.keywatch.events.AuthResult;
import io.keywatch.events.UsageEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TrafficSimulatorTest {

    private static final Instant T0 = Instant.parse("2026-11-27T15:00:00Z");

    private final TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS);
    private final MutableClock clock = new MutableClock(T0.plusMillis(300));
    private final List<UsageEvent> sink = new ArrayList<>();

    @Test
    void emitsEachSecondOnceItHasEndedWithTimestampsWithinIt() {
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            simulator.start(T0);

            assertThat(simulator.emitUntil(T0.plusMillis(999))).isZero();
            int firstSecond = simulator.emitUntil(T0.plusMillis(1_020));
            assertThat(sink).hasSize(firstSecond)
                    .allSatisfy(e -> assertThat(e.timestamp()).isBetween(T0, T0.plusMillis(999)));
            simulator.emitUntil(T0.plusMillis(1_500)); // nothing new: second 2 has not ended
            assertThat(sink).hasSize(firstSecond);
        }
    }

    @Test
    void realTimeEmitsExactlyWhatTheBackfillWouldForTheSameSeconds() {
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            simulator.start(T0);
            simulator.emitUntil(T0.plusSeconds(30));
        }

        List<UsageEvent> backfill = new ArrayList<>();
        new TrafficGenerator(model).generate(T0, T0.plusSeconds(30), backfill::add);
        assertThat(sink).isEqualTo(backfill);
    }

    @Test
    void injectedIncidentEventsGoOutAsTheirTimeComes() {
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            simulator.start(T0);
            String keyId = model.keys().get(0).keyId();

            Incident incident = simulator.inject(IncidentKind.BRUTE_FORCE, keyId);
            assertThat(incident.start()).isEqualTo(clock.instant());
            simulator.emitUntil(T0.plusSeconds(10));
            long soFar = failures(keyId);
            assertThat(soFar).isBetween(50L, 150L); // about a third of 300 in the first ~10 of 30 s
            simulator.emitUntil(T0.plusSeconds(40));

            assertThat(failures(keyId)).isEqualTo(300 + ordinaryFailures(keyId));
            assertThat(sink).isSortedAccordingTo(TrafficModel.BY_TIME);
            assertThat(simulator.incidents()).containsExactly(incident);
            assertThat(simulator.eventsEmitted()).isEqualTo(sink.size());
        }
    }

    @Test
    void aKeyMarkedRevokedHasItsOrdinaryRequestsRejected() {
        KeyProfile busiest = model.keys().stream()
                .max((a, b) -> Double.compare(a.meanRatePerMinute(), b.meanRatePerMinute())).orElseThrow();
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            simulator.start(T0);
            simulator.markRevoked(busiest.keyId(), T0.plusSeconds(60));
            simulator.emitUntil(T0.plusSeconds(60));
            simulator.emitUntil(T0.plusSeconds(120));
        }

        List<UsageEvent> ofKey = sink.stream().filter(e -> e.keyId().equals(busiest.keyId())).toList();
        assertThat(ofKey.stream().filter(e -> e.timestamp().isBefore(T0.plusSeconds(60))))
                .isNotEmpty().noneMatch(e -> e.authResult() == AuthResult.REVOKED);
        assertThat(ofKey.stream().filter(e -> !e.timestamp().isBefore(T0.plusSeconds(60))))
                .isNotEmpty().allMatch(e -> e.authResult() == AuthResult.REVOKED && e.status() == 401);
    }

    @Test
    void afterAStallItCatchesUpAtMostAMinute() {
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            simulator.start(T0);
            simulator.emitUntil(T0.plus(Duration.ofHours(2)));
        }

        Instant earliest = T0.plus(Duration.ofHours(2)).minus(TrafficSimulator.MAX_CATCH_UP);
        assertThat(sink).isNotEmpty().allSatisfy(e -> assertThat(e.timestamp()).isAfterOrEqualTo(earliest));
    }

    @Test
    void cannotEmitBeforeItStarts() {
        try (TrafficSimulator simulator = new TrafficSimulator(model, sink::add, clock)) {
            assertThatThrownBy(() -> simulator.emitUntil(T0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void runsOnItsOwnEverySecondAndStopsWhenClosed() {
        Queue<UsageEvent> received = new ConcurrentLinkedQueue<>();
        TrafficSimulator simulator = new TrafficSimulator(
                new TrafficModel(SimulatorSettings.DEFAULTS.withRates(600, 600)), received::add, Clock.systemUTC());
        simulator.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 200);
        simulator.close();
        int afterClose = received.size();

        Instant now = Instant.now();
        assertThat(received).allSatisfy(e -> assertThat(e.timestamp())
                .isBetween(now.minusSeconds(10), now));
        await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(3))
                .until(() -> received.size() == afterClose);
    }

    @Test
    void demoModeInjectsRotatingIncidentsAndRevokesTheKeysItHit() {
        Queue<UsageEvent> received = new ConcurrentLinkedQueue<>();
        List<Incident> reported = new CopyOnWriteArrayList<>();
        try (TrafficSimulator simulator = new TrafficSimulator(model, received::add, Clock.systemUTC())) {
            simulator.start();
            simulator.startDemoIncidents(Duration.ofMillis(150), reported::add);

            await().atMost(Duration.ofSeconds(5)).until(() -> reported.size() >= 3);
            assertThat(reported.subList(0, 3)).extracting(Incident::kind).containsExactly(
                    IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE);
            assertThat(reported.get(2).keyId()).isIn(reported.get(0).keyId(), reported.get(1).keyId());
            assertThat(simulator.incidents()).startsWith(reported.get(0), reported.get(1), reported.get(2));
            // keywatch will have revoked the leaked and brute-forced keys: their owners' requests get rejected
            assertThat(simulator.revokedSince())
                    .containsEntry(reported.get(0).keyId(), reported.get(0).end())
                    .containsEntry(reported.get(1).keyId(), reported.get(1).end());
        }
    }

    private long failures(String keyId) {
        return sink.stream().filter(e -> e.keyId().equals(keyId) && e.authResult() == AuthResult.INVALID_SECRET)
                .count();
    }

    private long ordinaryFailures(String keyId) {
        List<UsageEvent> ordinary = new ArrayList<>();
        new TrafficGenerator(model).generate(T0, T0.plusSeconds(40), ordinary::add);
        return ordinary.stream().filter(e -> e.keyId().equals(keyId) && e.authResult() == AuthResult.INVALID_SECRET)
                .count();
    }
}
