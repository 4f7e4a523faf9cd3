package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * VOLUME_SPIKE's model over days and weeks, driven minute by minute as the processor drives it: the issue's
 * "no alert over a simulated week with a weekly rhythm", small keys' spikes, level shifts and quiet nights.
 */
class VolumeRhythmTest {

    private static final KeyThresholds DEFAULTS = KeyThresholds.global(DetectionSettings.DEFAULTS);
    /** Peak requests per minute of the simulated keys: from a key a person could drive by hand to a busy service. */
    private static final double[] PEAKS = {2, 5, 20, 60, 200, 500};
    /** The model learns hours over three days; weekdays over a week. */
    private static final int WARM_UP_DAYS = 3;

    @Test
    void raisesNothingOverWeeksOfOfficeHoursWithQuietWeekendsAfterWarmUp() {
        List<VolumeWeekSimulation.Raised> afterWarmUp = new ArrayList<>();
        KeyProfileSerde serde = new KeyProfileSerde();
        int weeks = 3;
        for (int k = 0; k < PEAKS.length; k++) {
            SplittableRandom random = new SplittableRandom(1000 + k);
            VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
            // weekends at 20-30 % of the weekdays
            double weekend = 0.2 + 0.1 * k / (PEAKS.length - 1);
            key.run(MONDAY, weeks * 7 * 24 * 60, VolumeWeekSimulation.officeHours(PEAKS[k], weekend, random), random);
            key.spikes.stream().filter(r -> r.minute() >= MONDAY + WARM_UP_DAYS * DAY).forEach(afterWarmUp::add);
            // a million busy keys must fit in a GiB: the whole profile of a key seen every hour of three weeks (about
            // 270 bytes before the recurring peaks, 370 to 450 with them)
            assertThat(serde.serializer().serialize("t", key.profile)).hasSizeLessThan(512);
        }

        // after warm-up: Monday 09:00 ramps after quiet weekends, quiet Saturdays, every night and every peak
        assertThat(afterWarmUp).as("VOLUME_SPIKE alerts after warm-up").isEmpty();
    }

    @Test
    void newOfficeHoursKeysRarelyRaiseTheirMorningAfterTheFirstDayOnSixtyKeys() {
        // before two thirds of the level a key reached at an hour on the days before counted in the slow anchor, the
        // 09:00 ramp of a key with office hours paged on each of its first three mornings: 113 alerts for these 60
        // keys' first weeks, 72 after the first day; with it 48 and 8 (minutes 30 % above the mornings before)
        List<VolumeWeekSimulation.Raised> afterFirstDay = new ArrayList<>();
        for (int seed = 0; seed < 10; seed++) {
            for (int k = 0; k < PEAKS.length; k++) {
                SplittableRandom random = new SplittableRandom(1000 + k + 100 * seed);
                VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
                double weekend = 0.2 + 0.1 * k / (PEAKS.length - 1);
                key.run(MONDAY, 7 * 24 * 60, VolumeWeekSimulation.officeHours(PEAKS[k], weekend, random), random);
                key.spikes.stream().filter(r -> r.minute() >= MONDAY + DAY).forEach(afterFirstDay::add);
            }
        }

        assertThat(afterFirstDay).as("VOLUME_SPIKE alerts after the first day, 60 keys").hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void onItsSecondDayARampFarAboveWhatTheKeyReachedAtThatHourIsStillASpike() {
        SplittableRandom random = new SplittableRandom(12);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        // a first day at 20 a minute around the clock, and the second morning
        key.run(MONDAY, 24 * 60 + 14 * 60, minute -> 20, random);
        int before = key.spikes.size();

        // the second afternoon, a ramp of 12 % a minute from 20 to about 600 (an attacker hiding in a slow climb)
        long start = MONDAY + DAY + 14 * HOUR;
        for (int m = 0; m < 30; m++) {
            key.minute(start + m * MINUTE, Math.round(20 * Math.pow(1.12, m + 1)));
        }

        List<VolumeWeekSimulation.Raised> ramp = key.spikes.subList(before, key.spikes.size());
        assertThat(ramp).as("the ramp's alerts").isNotEmpty();
        // as on a key whose hour was not seen before: caught against the slow anchor at about 7 x the hour's level
        assertThat(ramp.get(0).count()).as("the count the ramp was caught at").isLessThan(200);
    }

    @Test
    void aQuietKeyJumpingFrom5To60AMinuteIsAMediumSpikeInTheFirstMinute() {
        SplittableRandom random = new SplittableRandom(7);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 4 * 60, minute -> 5, random);
        assertThat(key.spikes).isEmpty();

        long jump = MONDAY + 4 * HOUR;
        key.minute(jump, 60);

        assertThat(key.spikes).hasSize(1);
        VolumeWeekSimulation.Raised raised = key.spikes.get(0);
        assertThat(raised.minute()).isEqualTo(jump);
        assertThat(raised.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(raised.expected()).isCloseTo(5.0, within(2.0));
        assertThat(raised.critical()).isLessThanOrEqualTo(30);
    }

    @Test
    void aBusyKeyJumpingFrom500To6000AMinuteIsAHighSpike() {
        SplittableRandom random = new SplittableRandom(8);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 4 * 60, minute -> 500, random);

        key.minute(MONDAY + 4 * HOUR, 6000);

        assertThat(key.spikes).extracting(VolumeWeekSimulation.Raised::severity).containsExactly(Severity.HIGH);
    }

    @Test
    void aSustainedLevelShiftRaisesOneAlertAndIsNormalAfterTheAdaptMinutes() {
        SplittableRandom random = new SplittableRandom(9);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 4 * 60, minute -> 200, random);

        // a planned migration: four times the traffic from now on
        key.run(MONDAY + 4 * HOUR, 4 * 60, minute -> 800, random);

        assertThat(key.spikes).hasSize(1);
        assertThat(key.spikes.get(0).minute()).isEqualTo(MONDAY + 4 * HOUR);
        assertThat(key.profile.recentVolume()).isCloseTo(800, within(80.0));
    }

    @Test
    void learnsTheWeekdaysSoAQuietSaturdayIsExpectedAndNoDrop() {
        SplittableRandom random = new SplittableRandom(11);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 7 * 24 * 60, VolumeWeekSimulation.officeHours(200, 0.25, random), random);
        int dropsInTheFirstWeek = key.drops.size();
        key.run(MONDAY + 7 * DAY, 7 * 24 * 60, VolumeWeekSimulation.officeHours(200, 0.25, random), random);

        // Saturday noon is expected at a fraction of Monday noon's (a quarter in truth; after two weeks the factors
        // are still settling: Monday's was measured against hour levels the weekend had lowered)
        long mondayNoon = MONDAY + 14 * DAY + 12 * HOUR;
        long saturdayNoon = MONDAY + 12 * DAY + 12 * HOUR;
        assertThat(key.profile.seasonalVolume(saturdayNoon) / key.profile.seasonalVolume(mondayNoon))
                .isBetween(0.12, 0.38);
        assertThat(key.profile.volumeModel().dayFactor(saturdayNoon)).isLessThan(0.5);
        // the second weekend is the key's habit: no drop (the first, before any weekday was learnt, may be one)
        assertThat(key.drops.subList(dropsInTheFirstWeek, key.drops.size())).isEmpty();
        assertThat(key.spikes).filteredOn(spike -> spike.minute() >= MONDAY + WARM_UP_DAYS * DAY).isEmpty();
    }

    @Test
    void aKeyThatStopsIsADropStreakButAQuietNightIsNot() {
        SplittableRandom random = new SplittableRandom(10);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        // a week of office hours: nights at 15 % of a 200/min day
        key.run(MONDAY, 7 * 24 * 60, VolumeWeekSimulation.officeHours(200, 1.0, random), random);
        assertThat(key.drops).as("quiet nights are the key's rhythm").isEmpty();

        // Monday 11:00 the key stops for ten minutes, then comes back
        long stop = MONDAY + 7 * DAY + 11 * HOUR;
        key.run(MONDAY + 7 * DAY, 11 * 60, VolumeWeekSimulation.officeHours(200, 1.0, random), random);
        key.minute(stop + 10 * MINUTE, 200);

        assertThat(key.drops).containsExactly(stop + 10 * MINUTE);
        assertThat(key.profile.volumeModel().dropStreakStart()).isEqualTo(stop);
    }
}
