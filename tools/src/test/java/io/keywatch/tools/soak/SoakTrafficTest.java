package io.keywatch.tools.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.simulator.IncidentPlan;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakTrafficTest {

    private static final Instant START = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void chunksCoverTheTrafficAndNeverCutAnIncident() {
        // a 30 s brute force from 0:45 crosses the first minute's boundary; a second one ends exactly on 3:00
        List<IncidentPlan> incidents = List.of(IncidentPlan.bruteForce("a", START.plusSeconds(45)),
                IncidentPlan.bruteForce("b", START.plusSeconds(150)));

        List<Instant[]> chunks = SoakTraffic.chunks(START, START.plusSeconds(200), incidents);

        assertThat(chunks).extracting(c -> c[0]).containsExactly(START, START.plusSeconds(75), START.plusSeconds(135),
                START.plusSeconds(195));
        assertThat(chunks.get(chunks.size() - 1)[1]).isEqualTo(START.plusSeconds(200));
        for (IncidentPlan plan : incidents) {
            assertThat(chunks).anySatisfy(c -> {
                assertThat(plan.start()).isAfterOrEqualTo(c[0]);
                assertThat(plan.end()).isBeforeOrEqualTo(c[1]);
            });
        }
    }
}
