package io.keywatch.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IncidentPlannerTest {

    private static final Instant T = Instant.parse("2026-11-27T14:00:00Z");

    @Test
    void demoRotatesLeakBruteForceAndReuseOfAnAlreadyHitKey() {
        IncidentPlanner planner = new IncidentPlanner(new TrafficModel(SimulatorSettings.DEFAULTS));
        List<IncidentPlan> plans = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            plans.add(planner.next(T.plusSeconds(60L * i)));
        }

        assertThat(plans).extracting(IncidentPlan::kind).containsExactly(
                IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE,
                IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE,
                IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE, IncidentKind.REVOKED_KEY_REUSE);
        List<String> hit = new ArrayList<>();
        for (IncidentPlan plan : plans) {
            if (plan.kind() == IncidentKind.REVOKED_KEY_REUSE) {
                assertThat(hit).as("a reused key was hit before").contains(plan.keyId());
            } else {
                assertThat(hit).as("a leak or brute force hits a fresh key").doesNotContain(plan.keyId());
                hit.add(plan.keyId());
            }
        }
        assertThat(planner.hitKeys()).isEqualTo(hit);
    }

    @Test
    void theSameSeedPlansTheSameIncidents() {
        IncidentPlanner a = new IncidentPlanner(new TrafficModel(SimulatorSettings.DEFAULTS));
        IncidentPlanner b = new IncidentPlanner(new TrafficModel(SimulatorSettings.DEFAULTS));

        for (int i = 0; i < 6; i++) {
            assertThat(a.next(T)).isEqualTo(b.next(T));
        }
    }

    @Test
    void aLeakOnABusyKeyIsScaledToStandOutAgainstItsPeak() {
        TrafficModel model = new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(3).withRates(100, 120).withRateScale(5));
        IncidentPlanner planner = new IncidentPlanner(model);

        IncidentPlan leak = planner.plan(IncidentKind.LEAKED_KEY, T);

        KeyProfile key = model.key(leak.keyId()).orElseThrow();
        double peakPerMinute = key.meanRatePerMinute() * (1 + key.rhythm().amplitude());
        assertThat(leak.count()).isGreaterThan(1500).isGreaterThanOrEqualTo((int) (12 * peakPerMinute));
        assertThat(leak.duration()).isEqualTo(IncidentPlan.leakedKey(key.keyId(), T).duration());
    }

    @Test
    void aLeakOnAQuietKeyKeepsTheDefaultSize() {
        IncidentPlanner planner = new IncidentPlanner(
                new TrafficModel(SimulatorSettings.DEFAULTS.withRates(2, 10)));

        assertThat(planner.plan(IncidentKind.LEAKED_KEY, T).count()).isEqualTo(1500);
    }

    @Test
    void keepsGoingOnceEveryKeyHasBeenHit() {
        IncidentPlanner planner = new IncidentPlanner(new TrafficModel(SimulatorSettings.DEFAULTS.withKeys(2)));

        for (int i = 0; i < 12; i++) {
            assertThat(planner.next(T).keyId()).startsWith("pk_");
        }
    }
}
