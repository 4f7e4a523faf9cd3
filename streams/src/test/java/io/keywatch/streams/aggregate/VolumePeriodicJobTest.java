package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A key used by a periodic job (cron, a scheduler, a CI pipeline): a burst of requests in one minute, then quiet until
 * the next run. Judged minute by minute, each burst is improbable against the key's average; the memory of an
 * alerted burst (volume.burstMemoryMinutes) explains the next ones, but it faded within the day and the job paged
 * again: an hourly job of 50 requests raised 28 alerts in three weeks. Now a burst the memory explained is remembered
 * afresh, and a burst alerted again while the last one was remembered doubles the memory's length.
 */
class VolumePeriodicJobTest {

    private static final KeyThresholds DEFAULTS = KeyThresholds.global(DetectionSettings.DEFAULTS);

    private static VolumeWeekSimulation job(long periodMinutes, long burst, int days) {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        for (long m = 0; m < days * 1440L; m += periodMinutes) {
            key.minute(MONDAY + 3 * HOUR + m * MINUTE, burst);
        }
        return key;
    }

    @ParameterizedTest(name = "every {0} minutes, {1} requests: before {2} alerts in three weeks")
    @CsvSource({"15, 10, 15", "60, 10, 14", "60, 50, 28", "360, 30, 26", "1440, 10, 10"})
    void aPeriodicJobsBurstsRaiseOneAlertInThreeWeeks(long periodMinutes, long burst, int before) {
        VolumeWeekSimulation key = job(periodMinutes, burst, 21);

        assertThat(key.spikes).as("alerts (before this change: %d)", before).hasSize(1);
        assertThat(key.spikes.get(0).severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void aJobThatRunsAmokIsStillASpike() {
        VolumeWeekSimulation key = job(60, 50, 14);
        int before = key.spikes.size();

        // the next run sends ten times its usual burst
        long amok = MONDAY + 3 * HOUR + 14 * DAY;
        key.minute(amok, 500);

        assertThat(key.spikes.subList(before, key.spikes.size()))
                .extracting(VolumeWeekSimulation.Raised::minute, VolumeWeekSimulation.Raised::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(amok, Severity.HIGH));
    }

    @Test
    void theMemoryOfAnOrdinaryKeysOneBurstStillFadesWithinDays() {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        key.run(MONDAY, 6 * 60, minute -> 20, random);
        key.minute(MONDAY + 6 * HOUR, 400);
        assertThat(key.spikes).hasSize(1);

        key.run(MONDAY + 6 * HOUR + MINUTE, 6 * 24 * 60, minute -> 20, random);

        assertThat(key.profile.volumeModel().burstLevel()).as("forgotten within six days, as before").isZero();
        assertThat(key.profile.volumeModel().burstRecurrences).isZero();
    }
}
