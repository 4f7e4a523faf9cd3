package io.keywatch.streams.aggregate;

import static io.keywatch.streams.aggregate.VolumeWeekSimulation.DAY;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.HOUR;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MINUTE;
import static io.keywatch.streams.aggregate.VolumeWeekSimulation.MONDAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.keywatch.events.Severity;
import io.keywatch.streams.StreamsSettings;
import io.keywatch.streams.StreamsSettings.DetectionSettings;
import io.keywatch.streams.detect.KeyThresholds;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Keys used by periodic jobs (cron, CI): a burst in one minute, then nothing until the next run. Judged minute by
 * minute, each burst is improbable against the key's hourly mean; the hour's recurring peak (the busiest minute that
 * recurs at that hour, day after day) says it is the key's normal, and only twice that is a spike.
 */
class VolumePeriodicJobTest {

    private static final KeyThresholds DEFAULTS = KeyThresholds.global(DetectionSettings.DEFAULTS);
    private static final long START = MONDAY + 3 * HOUR;

    private static VolumeWeekSimulation job(long everyMinutes, long requests, int days) {
        return job(everyMinutes, requests, days, DEFAULTS);
    }

    private static VolumeWeekSimulation job(long everyMinutes, long requests, int days, KeyThresholds thresholds) {
        VolumeWeekSimulation key = new VolumeWeekSimulation(thresholds);
        for (long t = 0; t < days * 24 * 60L; t += everyMinutes) {
            key.minute(START + t * MINUTE, requests);
        }
        return key;
    }

    @Test
    void periodicJobsPageInTheirFirstDaysOnlyNotEveryDay() {
        // every minutes, requests; before the recurring peak, over the same three weeks: 15, 14, 28, 26, 10, 19, 8 and
        // 0 alerts (the memory of an alerted burst fades within a day, and the job paged again)
        long[][] jobs = {{15, 10}, {60, 10}, {60, 50}, {360, 30}, {1440, 10}, {1440, 200}, {2880, 10}, {10080, 100}};
        for (long[] job : jobs) {
            VolumeWeekSimulation key = job(job[0], job[1], 21);

            // the peak counts once it recurred and its hour was seen on three days
            assertThat(key.spikes).as("every %d min x %d", job[0], job[1]).hasSizeLessThanOrEqualTo(3)
                    .allMatch(raised -> raised.minute() < MONDAY + 4 * DAY);
        }
    }

    /** What a daily job's key (200 at 03:00 for a week) raises for {@code count} requests at {@code hour} on day 8. */
    private static List<VolumeWeekSimulation.Raised> dayEight(int hour, long count) {
        VolumeWeekSimulation key = job(1440, 200, 7);
        int before = key.spikes.size();
        key.minute(MONDAY + 7 * DAY + hour * HOUR, count);
        return key.spikes.subList(before, key.spikes.size());
    }

    @Test
    void twiceTheJobsBurstAtItsHourIsStillASpike() {
        assertThat(dayEight(3, 401)).extracting(VolumeWeekSimulation.Raised::minute,
                VolumeWeekSimulation.Raised::severity).containsExactly(tuple(MONDAY + 7 * DAY + 3 * HOUR, Severity.HIGH));
    }

    @Test
    void theJobsBurstAtAnotherHourIsStillASpike() {
        assertThat(dayEight(15, 200)).extracting(VolumeWeekSimulation.Raised::minute,
                VolumeWeekSimulation.Raised::severity).containsExactly(tuple(MONDAY + 7 * DAY + 15 * HOUR, Severity.HIGH));
    }

    @Test
    void theJobsUsualBurstAtItsHourRaisesNothingAfterWarmUp() {
        assertThat(dayEight(3, 200)).isEmpty();
    }

    @Test
    void burstsSpacedThroughTheHourGetNoMoreThanTwiceWhatTheJobMakesThere() {
        VolumeWeekSimulation key = job(1440, 200, 7);
        int before = key.spikes.size();

        // all the peak allows, every 6 minutes: each minute is within twice the peak, the recent level never twice
        // the slow anchor (no ramp); the first spends twice what the job adds to that hour, so the second alerts
        long hour = MONDAY + 7 * DAY + 3 * HOUR;
        long burst = (long) (1.9 * key.profile.recurringPeak(hour));
        key.minuteKnowing(hour, usage -> (long) Math.floor(usage.peakAllowance()));
        for (int m = 6; m < 60; m += 6) {
            key.minute(hour + m * MINUTE, burst);
        }

        assertThat(key.spikes.subList(before, key.spikes.size())).extracting(VolumeWeekSimulation.Raised::minute)
                .first().isEqualTo(hour + 6 * MINUTE);
    }

    @Test
    void burstsAlertedOnTwoDaysRunningDoNotBuySilence() {
        // without the memory of alerted bursts, which would hide the probe below for days on its own
        VolumeWeekSimulation key = job(1440, 200, 7, KeyThresholds.global(
                StreamsSettings.fromEnv(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "0")).detection()));
        long day = MONDAY + 7 * DAY + 3 * HOUR;
        key.minute(day, 100_000);
        key.minute(day + DAY, 100_000);
        int before = key.spikes.size();

        // they recurred, but a warm hour's peak rises by at most 4 x a day (to about 350, not 25,000)
        key.minute(day + 2 * DAY, 5_000);

        assertThat(key.spikes.subList(before, key.spikes.size())).extracting(VolumeWeekSimulation.Raised::minute)
                .containsExactly(day + 2 * DAY);
        assertThat(key.profile.recurringPeak(day + 2 * DAY)).isLessThan(800);
    }

    @Test
    void minutesWithinTheAllowanceDoNotRaiseThePeakDayAfterDay() {
        VolumeWeekSimulation key = job(1440, 200, 7);
        long first = MONDAY + 7 * DAY + 3 * HOUR;
        double peak = key.profile.recurringPeak(first);

        // an attacker who knows the model sends what the peak allows at the job's hour, every day for three weeks:
        // had it been learnt, the peak would compound at about 1.175 x a day (about 30 x in three weeks)
        int before = key.spikes.size();
        for (int d = 0; d < 21; d++) {
            key.minuteKnowing(first + d * DAY, usage -> (long) Math.floor(usage.peakAllowance()));
        }

        assertThat(key.spikes.subList(before, key.spikes.size())).isEmpty();
        assertThat(key.profile.recurringPeak(first + 21 * DAY)).isLessThanOrEqualTo(peak);
    }

    @Test
    void burstsOfAnySizeOnANewKeysFirstDaysTeachAtMostAThousand() {
        // a fresh key: a million requests at 03:00 on each of its first three days (three HIGH alerts)
        VolumeWeekSimulation key = job(1440, 1_000_000, 3);
        long day5 = MONDAY + 4 * DAY + 3 * HOUR;
        int before = key.spikes.size();

        key.minute(day5, 2_000_000);

        assertThat(key.profile.volumeModel().hourPeak[3]).isLessThanOrEqualTo(1000f);
        assertThat(key.spikes.subList(before, key.spikes.size())).extracting(VolumeWeekSimulation.Raised::minute)
                .containsExactly(day5);
    }

    @Test
    void onABusyKeyTheHourGetsNoMoreThanTwiceWhatTheJobAddsToIt() {
        // 100 a minute, and an hourly job of 300 more in the first minute of each hour, for a week
        SplittableRandom random = new SplittableRandom(9);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 7 * 24 * 60, minute -> Math.floorMod(minute, HOUR) == 0 ? 400 : 100, random);
        long hour = MONDAY + 7 * DAY + 3 * HOUR;

        // an attacker who knows the model sends all the peak allows in every minute of the hour, the background else
        long extra = 0;
        for (int m = 0; m < 60; m++) {
            long[] sent = new long[1];
            key.minuteKnowing(hour + m * MINUTE, usage -> sent[0] = Double.isNaN(usage.peakAllowance())
                    ? 100 : (long) Math.floor(usage.peakAllowance()));
            extra += sent[0] - 100;
        }

        // twice the job's 300, and the little the hour's level (the job's share in it) lifts the expectation above
        // 100; counted against all the hour's 6,300 requests, it would have been 2,000 (the most a young hour learns)
        assertThat(extra).as("requests above the background in the hour").isLessThanOrEqualTo(1_000);
    }

    @Test
    void aCheapAlertElsewhereInTheHourDoesNotLetThePeakOrTheExcessGrow() {
        VolumeWeekSimulation key = job(1440, 200, 7);
        long first = MONDAY + 7 * DAY + 3 * HOUR;
        double peak = key.profile.recurringPeak(first);
        float excess = key.profile.volumeModel().hourExcess[3];

        // every day: all the peak allows at 03:00, and a small spike of 30 at 03:30 (a MEDIUM)
        for (int d = 0; d < 10; d++) {
            key.minuteKnowing(first + d * DAY, usage -> (long) Math.floor(usage.peakAllowance()));
            key.minute(first + d * DAY + 30 * MINUTE, 30);
        }

        assertThat(key.profile.recurringPeak(first + 10 * DAY)).isLessThanOrEqualTo(peak);
        assertThat(key.profile.volumeModel().hourExcess[3]).isLessThanOrEqualTo(excess);
    }

    @Test
    void aDormantJobsKeyIsJudgedWithoutItsOldPeakWhenItWakes() {
        // a key used only by a daily job, then silent for 30 days (its hours are never learnt in that time)
        VolumeWeekSimulation key = job(1440, 200, 7);
        long back = MONDAY + 37 * DAY + 3 * HOUR;
        long burst = (long) (1.9 * key.profile.recurringPeak(back));
        int before = key.spikes.size();

        // back at the job's hour at 1.9 x its old peak, minute after minute: the peak faded over the silence, so the
        // first minute is judged as any key's (kept, it would pass, and the hour's budget would stop the second)
        for (int m = 0; m < 60; m++) {
            key.minute(back + m * MINUTE, burst);
        }

        assertThat(key.spikes.subList(before, key.spikes.size())).extracting(VolumeWeekSimulation.Raised::minute)
                .first().isEqualTo(back);
    }

    @Test
    void aKeyHeldAtTheJobsBurstMinuteAfterMinuteIsStillARamp() {
        VolumeWeekSimulation key = job(60, 50, 7);
        int before = key.spikes.size();

        // the hour's allowance (twice the peak, within twice what the job adds to the hour) is spent by the second
        // minute at the latest, and the next is judged as any key's (the slow anchor's ramp judgement is never lifted)
        long from = MONDAY + 7 * DAY + 3 * HOUR;
        for (int m = 0; m < 15; m++) {
            key.minute(from + m * MINUTE, 50);
        }

        List<VolumeWeekSimulation.Raised> raised = key.spikes.subList(before, key.spikes.size());
        assertThat(raised).isNotEmpty();
        assertThat(raised.get(0).minute()).isLessThanOrEqualTo(from + 2 * MINUTE);
    }

    @Test
    void aLoneBurstDoesNotBecomeTheHoursPeak() {
        // a key at about a request a minute; one alerted burst of 1,000 at 03:00 on its second day
        SplittableRandom random = new SplittableRandom(3);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        key.run(MONDAY, 24 * 60 + 3 * 60, minute -> 1, random);
        key.minute(MONDAY + DAY + 3 * HOUR, 1000);
        long daySix = MONDAY + 5 * DAY + 3 * HOUR;
        key.run(MONDAY + DAY + 3 * HOUR + MINUTE, (int) ((daySix - MONDAY - DAY - 3 * HOUR) / MINUTE) - 1,
                minute -> 1, random);
        int before = key.spikes.size();

        // days later at that hour, a third of it: the busiest minute counts only as far as it recurred the next day
        // (averaged as it was, 1,000 would have made 300 usual there)
        key.minute(daySix, 300);

        assertThat(key.spikes.subList(before, key.spikes.size()))
                .extracting(VolumeWeekSimulation.Raised::minute).contains(daySix);
    }

    @Test
    void aJobsPeakFadesOnceTheJobStops() {
        // a key at about a request a minute with a daily job of 200 at 03:00 for two weeks
        SplittableRandom random = new SplittableRandom(5);
        VolumeWeekSimulation key = new VolumeWeekSimulation(DEFAULTS);
        for (int d = 0; d < 14; d++) {
            long day = MONDAY + d * DAY;
            key.run(day, 3 * 60, minute -> 1, random);
            key.minute(day + 3 * HOUR, 200);
            key.run(day + 3 * HOUR + MINUTE, 21 * 60 - 1, minute -> 1, random);
        }
        assertThat(key.spikes).allMatch(raised -> raised.minute() < MONDAY + 4 * DAY);
        long twoWeeks = MONDAY + 14 * DAY;
        assertThat(key.profile.recurringPeak(twoWeeks + 3 * HOUR)).isGreaterThan(150);

        // the job stops for ten days; its run back is judged as any burst again (the peak is about 200 x 0.75^10)
        key.run(twoWeeks, 10 * 24 * 60 + 3 * 60, minute -> 1, random);
        key.minute(twoWeeks + 10 * DAY + 3 * HOUR, 200);

        assertThat(key.spikes).extracting(VolumeWeekSimulation.Raised::minute)
                .contains(twoWeeks + 10 * DAY + 3 * HOUR);
    }
}
