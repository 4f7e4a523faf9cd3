package io.keywatch.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.streams.aggregate.VolumeWeekSimulation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The "no alert over a simulated week with a weekly rhythm", through the whole topology: eight days of office
 * hours (quiet nights, a steep 09:00 ramp, weekends at a quarter) for small and mid-size keys, Poisson counts.
 * {@code VolumeRhythmTest} measures three weeks and more keys on the profile alone.
 */
class VolumeWeekTopologyTest {

    private static final double[] PEAKS = {2, 5, 30};

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void raisesNoVolumeSpikeOverAWeekWithAWeeklyRhythmAfterWarmUp() {
        Instant monday = Instant.ofEpochMilli(VolumeWeekSimulation.MONDAY).plus(Duration.ofDays(7));
        SplittableRandom random = new SplittableRandom(15);
        LongToDoubleFunction[] rates = new LongToDoubleFunction[PEAKS.length];
        for (int k = 0; k < PEAKS.length; k++) {
            rates[k] = VolumeWeekSimulation.officeHours(PEAKS[k], 0.25, random);
            fixture.register("key-" + k, Registry.entry().build(), monday);
        }
        int minutes = 8 * 24 * 60;
        for (int m = 0; m < minutes; m++) {
            Instant minute = monday.plus(Duration.ofMinutes(m));
            fixture.clock(minute.plusSeconds(59));
            for (int k = 0; k < PEAKS.length; k++) {
                int count = (int) VolumeWeekSimulation.poisson(rates[k].applyAsDouble(minute.toEpochMilli()), random);
                if (count > 0) {
                    fixture.sendMinute("key-" + k, minute, count, (event, i) -> event);
                }
            }
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        Instant warm = monday.plus(Duration.ofDays(3));
        assertThat(alerts).filteredOn(alert -> !alert.windowStart().isBefore(warm)).isEmpty();
        // the topology saw the whole week (the last minute is the key's)
        assertThat(fixture.usage("key-2", monday.plus(Duration.ofMinutes(minutes - 60)),
                monday.plus(Duration.ofMinutes(minutes)))).isNotEmpty();
    }
}
