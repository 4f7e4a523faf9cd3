package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * An attacker who knows the model and the key's history tries to blind VOLUME_SPIKE: by ramping just below the
 * factor so that every minute is learnt, or by inflating the dispersion with minutes just below it. Driven minute by
 * minute as the processor drives the profile.
 */
class VolumeEvasionTest {

    private static final KeyThresholds DEFAULTS = KeyThresholds.global(DetectionSettings.DEFAULTS);

    /** A key warmed up for four hours at {@code rate} requests a minute (Poisson). */
    private static VolumeWeekSimulation warmKey(double rate, SplittableRandom random) {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 4 * 60, minute -> rate, random);
        assertThat(key.spikes).isEmpty();
        return key;
    }

    @Test
    void aSlowRampJustBelowTheFactorIsReportedOnce() {
        SplittableRandom random = new SplittableRandom(21);
        VolumeWeekSimulation key = warmKey(5, random);

        // every minute one request short of volume.factor (3) x what the profile expects of it
        long start = MONDAY + 4 * HOUR;
        for (int m = 0; m < 60; m++) {
            key.minute(start + m * MINUTE, expected -> (long) Math.ceil(3 * expected) - 1);
        }

        // one alert (one streak, one id): raised MEDIUM early, raised again only as HIGH at the paging floor
        assertThat(key.spikes).as("alerts of the ramp").isNotEmpty()
                .extracting(VolumeWeekSimulation.Raised::streakStart).containsOnly(key.spikes.get(0).minute());
        assertThat(key.spikes.get(0).minute()).isLessThan(start + 15 * MINUTE);
        // the minutes after the alert are learnt only by plausible steps: the ramp cannot drag the level along
        assertThat(key.profile.recentVolume()).isLessThan(1000);
        assertThat(key.spikes).extracting(VolumeWeekSimulation.Raised::severity).doesNotHaveDuplicates();
    }

    @Test
    void aRampKeptUpForHoursIsOneAlert() {
        SplittableRandom random = new SplittableRandom(22);
        VolumeWeekSimulation key = warmKey(5, random);

        long start = MONDAY + 4 * HOUR;
        for (int m = 0; m < 6 * 60; m++) {
            key.minute(start + m * MINUTE, expected -> (long) Math.ceil(3 * expected) - 1);
        }

        // every volume.adaptMinutes the streak's level becomes the key's normal, and the ramp rises on from there:
        // the same anomaly, so the same alert, not one every half hour
        assertThat(key.spikes).isNotEmpty()
                .extracting(VolumeWeekSimulation.Raised::streakStart).containsOnly(key.spikes.get(0).minute());
    }

    @Test
    void aLevelShiftOfAQuietKeyRaisesOneAlertAndThenAdapts() {
        SplittableRandom random = new SplittableRandom(23);
        VolumeWeekSimulation key = warmKey(10, random);

        // four times the traffic from now on, for six hours
        key.run(MONDAY + 4 * HOUR, 6 * 60, minute -> 40, random);

        assertThat(key.spikes).hasSize(1);
        assertThat(key.spikes.get(0).minute()).isEqualTo(MONDAY + 4 * HOUR);
    }

    @Test
    void minutesJustBelowTheFactorDoNotNumbABusyKey() {
        SplittableRandom random = new SplittableRandom(24);
        VolumeWeekSimulation key = warmKey(1000, random);

        // a day in which every tenth minute is 2.9 x expected
        long start = MONDAY + 4 * HOUR;
        for (int m = 0; m < 24 * 60; m++) {
            boolean inflate = m % 10 == 0;
            long poisson = VolumeWeekSimulation.poisson(1000, random);
            key.minute(start + m * MINUTE, expected -> inflate ? (long) Math.floor(2.9 * expected) : poisson);
        }
        int before = key.spikes.size();

        long jump = start + DAY;
        key.minute(jump, 5000);

        assertThat(key.profile.dispersion()).as("dispersion").isLessThan(0.05);
        assertThat(key.spikes.subList(before, key.spikes.size()))
                .extracting(VolumeWeekSimulation.Raised::minute).containsExactly(jump);
    }

    @Test
    void alternatingSilenceAndBurstsDoNotNumbAQuietKey() {
        SplittableRandom random = new SplittableRandom(25);
        VolumeWeekSimulation key = warmKey(5, random);

        // a day of minutes alternating silent and 2.9 x the key's 5 a minute
        long start = MONDAY + 4 * HOUR;
        for (int m = 0; m < 24 * 60; m++) {
            key.minute(start + m * MINUTE, m % 2 == 1 ? 14 : 0);
        }
        int before = key.spikes.size();

        long jump = start + DAY + MINUTE;
        key.minute(jump, 60);

        assertThat(key.spikes.subList(before, key.spikes.size()))
                .extracting(VolumeWeekSimulation.Raised::minute).containsExactly(jump);
    }
}
