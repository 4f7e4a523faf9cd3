package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.streams.StreamsSettings;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import java.util.List;
import java.util.Map;
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
    void aSlowRampJustBelowTheFactorIsOneStreakRaisedAgainOnlyPerFactorStep() {
        SplittableRandom random = new SplittableRandom(21);
        VolumeWeekSimulation key = warmKey(5, random);

        // every minute one request short of volume.factor (3) x what the profile expects of it
        long start = MONDAY + 4 * HOUR;
        for (int m = 0; m < 60; m++) {
            key.minute(start + m * MINUTE, expected -> (long) Math.ceil(3 * expected) - 1);
        }

        // one streak: its alert raised MEDIUM early, raised higher only as HIGH at the paging floor; the others are
        // new alerts, each at another volume.factor x the count last alerted
        long streak = key.spikes.get(0).minute();
        assertThat(key.spikes).as("the streak's alert").filteredOn(raised -> raised.streakStart() == streak)
                .extracting(VolumeWeekSimulation.Raised::severity).doesNotHaveDuplicates();
        assertThat(key.spikes).as("raised again").filteredOn(raised -> raised.streakStart() != streak)
                .allSatisfy(raised -> assertThat(raised.streakStart()).isEqualTo(raised.minute()))
                .hasSizeLessThanOrEqualTo(3);
        assertThat(key.spikes.get(0).minute()).isLessThan(start + 15 * MINUTE);
        // the minutes after the alert are learnt only by plausible steps: the ramp cannot drag the level along
        assertThat(key.profile.recentVolume()).isLessThan(1000);
    }

    @Test
    void aRampKeptUpForHoursIsRaisedAgainAtEachFactorStepNotEveryMinute() {
        SplittableRandom random = new SplittableRandom(22);
        VolumeWeekSimulation key = warmKey(5, random);

        long start = MONDAY + 4 * HOUR;
        long last = 0;
        for (int m = 0; m < 6 * 60; m++) {
            long[] count = new long[1];
            key.minute(start + m * MINUTE, expected -> count[0] = (long) Math.ceil(3 * expected) - 1);
            last = count[0];
        }

        // every volume.adaptMinutes the streak's level becomes the key's normal and the ramp rises on from there: the
        // first alert is the streak's, and each later one is a new alert once the count reached another
        // volume.factor (3) x the count of the minute last alerted, so the series is bounded by log3 of the climb
        List<VolumeWeekSimulation.Raised> spikes = key.spikes;
        assertThat(spikes).as("alerts of the ramp").hasSizeGreaterThan(1);
        assertThat(spikes.get(0).streakStart()).isEqualTo(spikes.get(0).minute());
        long first = spikes.get(0).count();
        int bound = (int) Math.ceil(Math.log((double) last / first) / Math.log(3)) + 2;
        assertThat(spikes).as("at most one alert per factor step (+ one for the paging floor)")
                .hasSizeLessThanOrEqualTo(bound);
        for (int i = 1; i < spikes.size(); i++) {
            VolumeWeekSimulation.Raised raised = spikes.get(i);
            if (raised.severity().compareTo(spikes.get(i - 1).severity()) > 0) {
                // the severity rose (HIGH at the paging floor): the same streak's alert, raised higher
                assertThat(raised.streakStart()).isEqualTo(spikes.get(0).minute());
            } else {
                assertThat(raised.streakStart()).as("a new alert id").isEqualTo(raised.minute());
                assertThat(raised.count()).isGreaterThanOrEqualTo(3 * spikes.get(i - 1).count());
            }
        }
        assertThat(last).as("the ramp climbed far").isGreaterThan(1000);
        assertThat(spikes).as("raised again as it climbed")
                .filteredOn(raised -> raised.streakStart() != spikes.get(0).minute()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void aBusyKeyBackFromAPauseLongerThanAdaptMinutesIsNoSpike() {
        SplittableRandom random = new SplittableRandom(26);
        VolumeWeekSimulation key = warmKey(300, random);

        // a 45-minute deploy (longer than volume.adaptMinutes: the silence becomes the level for drops), then back
        long back = MONDAY + 4 * HOUR + 45 * MINUTE;
        key.run(back, 3 * 60, minute -> 300, random);

        assertThat(key.spikes).isEmpty();
        assertThat(key.profile.recentVolume()).isGreaterThan(250);
    }

    @Test
    void aLeakAfterAPauseStillAlerts() {
        SplittableRandom random = new SplittableRandom(27);
        VolumeWeekSimulation key = warmKey(300, random);

        long back = MONDAY + 4 * HOUR + 45 * MINUTE;
        key.minute(back, 3000);

        assertThat(key.spikes).extracting(VolumeWeekSimulation.Raised::minute).containsExactly(back);
    }

    @Test
    void aPausesLevelFadesOverALongSilenceToo() {
        SplittableRandom random = new SplittableRandom(28);
        VolumeWeekSimulation key = warmKey(300, random);

        // three days without a request: longer than the minutes the profile folds one by one
        key.minute(MONDAY + 4 * HOUR + 3 * DAY, 300);

        // a memory of a day: e^-3 of the level three days on (before, the minutes beyond the first day did not fade it,
        // and e^-1, about 110, stayed for as long as the key was silent)
        assertThat(key.profile.volumeModel().pauseLevel()).as("the pause's level three days on")
                .isGreaterThan(0).isLessThan(300 * Math.exp(-2.5));
    }

    @Test
    void aFactorAtOrBelowOneStillRaisesAgainOnlyPerDoublingNotEveryMinute() {
        KeyThresholds factorOne = KeyThresholds.global(
                StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_FACTOR", "1")).detection());
        SplittableRandom random = new SplittableRandom(29);
        VolumeWeekSimulation key = new VolumeWeekSimulation(factorOne);
        key.run(MONDAY, 4 * 60, minute -> 5, random);
        int before = key.spikes.size();

        // a key pushed to 20 times its level and held there: every minute is "at least factor x" the one last raised
        key.run(MONDAY + 4 * HOUR, 60, minute -> 100, random);

        assertThat(key.spikes.size() - before).as("alerts of an hour held at one level").isLessThanOrEqualTo(2);
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
