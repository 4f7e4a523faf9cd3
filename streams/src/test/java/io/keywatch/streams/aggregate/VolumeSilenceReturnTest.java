package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A young key (no rhythm yet) back after more than a day of silence: its recent level starts over and warms up again,
 * and while it does its return is judged against the level it had before the silence. Before, those minutes were not
 * judged at all and were learnt unclipped as the key's new normal: a 20/min key silent two days raised nothing for
 * 2,000 requests in a minute from one client.
 */
class VolumeSilenceReturnTest {

    private static final KeyThresholds DEFAULTS = KeyThresholds.global(DetectionSettings.DEFAULTS);
    /** Monday 10:00 plus two days: the key's return, on a Wednesday morning. */
    private static final long BACK = MONDAY + 10 * HOUR + 2 * DAY;

    /** A key used for an hour at {@code rate} a minute (Poisson) from Monday 09:00, then silent until {@link #BACK}. */
    private static VolumeWeekSimulation youngKeyThenSilence(double rate, SplittableRandom random) {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY + 9 * HOUR, 60, minute -> rate, random);
        assertThat(key.spikes).isEmpty();
        return key;
    }

    private static List<VolumeWeekSimulation.Raised> since(VolumeWeekSimulation key, long minute) {
        return key.spikes.stream().filter(raised -> raised.minute() >= minute).toList();
    }

    @Test
    void aYoungKeyBackAfterTwoDaysAtAHundredTimesItsLevelIsAHighSpikeInItsFirstMinuteAndThenOneStreak() {
        VolumeWeekSimulation key = youngKeyThenSilence(20, new SplittableRandom(41));

        // 2,000 requests a minute from one client, for an hour
        for (int m = 0; m < 60; m++) {
            key.minute(BACK + m * MINUTE, 2000);
        }

        List<VolumeWeekSimulation.Raised> raised = since(key, BACK);
        assertThat(raised).as("the return's alerts").isNotEmpty();
        assertThat(raised.get(0).minute()).isEqualTo(BACK);
        assertThat(raised.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(raised.get(0).expected()).as("judged against the level before the silence").isBetween(15.0, 25.0);
        // one streak: no alert storm while the key warms up; after volume.adaptMinutes the level is its new normal
        assertThat(raised).hasSize(1);
        assertThat(key.profile.recentVolume()).as("the new level, adapted to").isGreaterThan(1500);
        assertThat(key.profile.volumeModel().silenceLevel()).as("forgotten once the key settled").isZero();
    }

    @Test
    void aSmallYoungKeyBackAtTwelveTimesItsLevelIsAMediumSpikeAndThenAdapts() {
        SplittableRandom random = new SplittableRandom(42);
        VolumeWeekSimulation key = youngKeyThenSilence(5, random);

        // a genuine new level (or an attacker below the paging floor): 60 a minute for two hours
        key.run(BACK, 120, minute -> 60, random);

        List<VolumeWeekSimulation.Raised> raised = since(key, BACK);
        assertThat(raised).extracting(VolumeWeekSimulation.Raised::minute, VolumeWeekSimulation.Raised::severity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(BACK, Severity.MEDIUM));
        // within a bounded time (volume.adaptMinutes) the new level is the key's normal
        assertThat(key.profile.recentVolume()).isBetween(45.0, 75.0);
    }

    @Test
    void anOrdinaryReturnAtTheOldLevelRaisesNothing() {
        SplittableRandom random = new SplittableRandom(43);
        VolumeWeekSimulation key = youngKeyThenSilence(20, random);

        key.run(BACK, 3 * 60, minute -> 20, random);

        assertThat(since(key, BACK)).isEmpty();
        assertThat(key.profile.volumeModel().silenceLevel()).isZero();
    }

    @Test
    void aSmallKeysOrdinaryReturnAtTheOldLevelRaisesNothingEither() {
        SplittableRandom random = new SplittableRandom(44);
        VolumeWeekSimulation key = youngKeyThenSilence(5, random);

        key.run(BACK, 3 * 60, minute -> 5, random);

        assertThat(since(key, BACK)).isEmpty();
    }

    @Test
    void aReturnThatClimbsJustBelowTheThresholdIsNotLearntAsIsWhileTheKeyWarmsUp() {
        VolumeWeekSimulation key = youngKeyThenSilence(20, new SplittableRandom(45));

        // every minute of the return one request short of volume.factor x what the profile expects of it: learnt
        // unclipped while warming up (as before), ten minutes of it were a level of about 1,100 a minute; now 81
        for (int m = 0; m < 10; m++) {
            key.minute(BACK + m * MINUTE, expected -> (long) Math.ceil(3 * expected) - 1);
        }

        assertThat(key.profile.recentVolume()).as("the level after ten minutes of the climb").isLessThan(200);
    }

    @Test
    void theLevelBeforeTheSilenceIsTheKeysLastLevelNotOneFadedByTheSilence() {
        VolumeWeekSimulation key = youngKeyThenSilence(20, new SplittableRandom(46));

        key.minute(BACK, 20);

        assertThat(key.profile.volumeModel().silenceLevel()).isBetween(15.0, 25.0);
        assertThat(key.profile.silenceLevel(BACK)).isEqualTo(key.profile.volumeModel().silenceLevel());
    }

    /** A quiet key: one request every {@code every} minutes for {@code hours} hours from Monday 09:00, then silent. */
    private static VolumeWeekSimulation quietKeyThenSilence(int every, int hours) {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        for (int m = 0; m < hours * 60; m += every) {
            key.minute(MONDAY + 9 * HOUR + m * MINUTE, 1);
        }
        return key;
    }

    @Test
    void aQuietKeyBackAfterTwoDaysAtTwoThousandAMinuteIsAHighSpikeInItsFirstMinute() {
        // a forgotten cron or CI key: one request every five minutes (0.2 a minute), below any level a pause keeps
        VolumeWeekSimulation key = quietKeyThenSilence(5, 3);

        for (int m = 0; m < 30; m++) {
            key.minute(BACK + m * MINUTE, 2000);
        }

        List<VolumeWeekSimulation.Raised> raised = since(key, BACK);
        assertThat(raised).as("the return's alerts").isNotEmpty();
        assertThat(raised.get(0).minute()).isEqualTo(BACK);
        assertThat(raised.get(0).severity()).isEqualTo(Severity.HIGH);
        assertThat(raised).hasSize(1);
    }

    @Test
    void aQuietKeysOrdinaryReturnRaisesNothing() {
        VolumeWeekSimulation key = quietKeyThenSilence(5, 3);

        for (int m = 0; m < 3 * 60; m += 5) {
            key.minute(BACK + m * MINUTE, 1);
        }
        // and one that calls a little more often than before, two or three requests a minute now and then
        SplittableRandom random = new SplittableRandom(47);
        key.run(BACK + 4 * HOUR, 3 * 60, minute -> 0.5, random);

        assertThat(since(key, BACK)).isEmpty();
    }

    @Test
    void aCronKeysBurstsBackAfterTwoDaysRaiseNoMoreThanOnItsFirstDay() {
        // ten requests in one minute every hour, for a working day; silent two days; the same again
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        for (int h = 0; h < 8; h++) {
            key.minute(MONDAY + (9 + h) * HOUR, 10);
        }
        List<VolumeWeekSimulation.Raised> firstDay = List.copyOf(key.spikes);
        for (int h = 0; h < 8; h++) {
            key.minute(BACK + h * HOUR, 10);
        }

        // the level kept over the silence judges the first burst back as an ordinary one; the key's bursts are then
        // judged as a young key's are, as on its first day (one MEDIUM at its second burst, then the burst memory)
        assertThat(since(key, BACK)).as("after %s on its first day", firstDay)
                .noneMatch(raised -> raised.minute() == BACK)
                .hasSizeLessThanOrEqualTo(firstDay.size());
    }

    @Test
    void aKeyUsedEveryOtherDayIsStillJudgedWhenItsJobRunsAmok() {
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        for (int d = 0; d < 14; d += 2) {
            key.minute(MONDAY + d * DAY + 3 * HOUR, 10);
        }

        key.minute(MONDAY + 14 * DAY + 3 * HOUR, 2000);

        assertThat(key.spikes).filteredOn(raised -> raised.minute() == MONDAY + 14 * DAY + 3 * HOUR)
                .extracting(VolumeWeekSimulation.Raised::severity).containsExactly(Severity.HIGH);
    }
}
