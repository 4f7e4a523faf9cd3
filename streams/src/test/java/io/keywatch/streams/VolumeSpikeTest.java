package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.streams.aggregate.VolumeModel;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class VolumeSpikeTest {

    private static final String[] COUNTRIES = {"DE", "US", "BR", "IN", "JP"};

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void firesMediumWhenImprobableThenHighAtTheFloorWhenAWarmedUpKeySpikes() {
        fixture.steadyTraffic("key-1", 0, 10, 20);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();

        Instant crossing = null;
        for (int i = 0; i < 300; i++) {
            Instant at = minute(10).plusMillis(i * 100L);
            if (i == 99) {
                crossing = at;
            }
            fixture.send(fixture.event("key-1", at));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // 60 requests (3 x 20, and improbable for a steady 20) is a spike: MEDIUM below the paging floor of 100;
        // the floor raises it to HIGH, as the same alert (one streak)
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(alerts.get(0).observed()).isEqualTo(60.0);
        assertThat(alerts.get(0).threshold()).isEqualTo(60.0);
        Alert alert = alerts.get(1);
        assertThat(alert.rule()).isEqualTo(AlertRule.VOLUME_SPIKE);
        assertThat(alert.keyId()).isEqualTo("key-1");
        assertThat(alert.id()).isEqualTo(Alert.idFor(AlertRule.VOLUME_SPIKE, "key-1", minute(10)))
                .isEqualTo(alerts.get(0).id());
        assertThat(alert.windowStart()).isEqualTo(minute(10));
        assertThat(alert.windowEnd()).isEqualTo(minute(11));
        // the floor (100) is the HIGH threshold for a 20/min key, and the 100th request crossed it
        assertThat(alert.threshold()).isEqualTo(100.0);
        assertThat(alert.observed()).isEqualTo(100.0);
        assertThat(alert.baseline()).isEqualTo(20.0);
        assertThat(alert.triggeredAt()).isEqualTo(crossing);
        assertThat(alert.detectedAt()).isNotNull();
        assertThat(alert.summary()).contains("key-1").contains("100 requests").contains("about 20.0 were expected")
                .contains("at its threshold of 100").contains("probability of").doesNotContain("above its");
        assertThat(alert.evidence())
                .containsEntry("requests", 100)
                .containsEntry("distinctClientIps", 1)
                .containsEntry("topClientIps", Map.of("10.0.0.1", 100))
                .containsEntry("baselineMinutes", 10)
                .containsEntry("expectedRequestsPerMinute", 20.0)
                .containsEntry("expectedFrom", "recent level; rhythm not learnt yet")
                .containsEntry("countModel", "poisson")
                .containsEntry("criticalCount", 60)
                .containsEntry("floor", 100);
        assertThat(((Number) alert.evidence().get("pValue")).doubleValue()).isLessThan(1e-12);
    }

    @Test
    void aQuietKeyJumpingFrom5To60AMinuteIsAMediumSpikeWithinTheFirstMinute() {
        // three hours of about 5 requests a minute (Poisson), then one scraper at a request a second
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        for (int m = 0; m < 180; m++) {
            fixture.clock(minute(m).plusSeconds(59));
            int count = (int) io.keywatch.streams.aggregate.VolumeWeekSimulation.poisson(5, random);
            if (count > 0) {
                fixture.sendMinute("key-1", minute(m), count, (event, i) -> event);
            }
        }
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();

        fixture.clock(minute(180).plusSeconds(59));
        fixture.sendMinute("key-1", minute(180), 60, (event, i) -> event);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM);
        Alert alert = alerts.get(0);
        assertThat(alert.windowStart()).isEqualTo(minute(180));
        // raised by the request that made the count improbable, well before the minute's 60th
        assertThat(alert.observed()).isLessThan(30);
        assertThat(alert.baseline()).isCloseTo(5.0, within(1.5));
        assertThat(((Number) alert.evidence().get("pValue")).doubleValue()).isLessThanOrEqualTo(1e-6);
        assertThat(alert.summary()).contains("were expected").contains("MEDIUM: below the paging floor");
    }

    @Test
    void aBusyKeyJumpingFrom500To6000AMinuteIsAHighSpike() {
        fixture.steadyTraffic("key-1", 0, 15, 500);
        fixture.steadyTraffic("key-1", 15, 16, 6000);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.HIGH);
        assertThat(alerts.get(0).threshold()).isEqualTo(1500.0);
        assertThat(alerts.get(0).baseline()).isEqualTo(500.0);
    }

    @Test
    void comparesTheMinuteWithABaselineLearnedOnlyFromCompletedMinutes() {
        fixture.steadyTraffic("key-1", 0, 10, 100);
        for (int i = 0; i < 600; i++) {
            fixture.send(fixture.event("key-1", minute(10).plusMillis(i * 50L)));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).hasSize(1);
        // 3 x the steady 100/min; had the spike minute leaked into its own baseline, the threshold would have moved
        assertThat(alerts.get(0).baseline()).isEqualTo(100.0);
        assertThat(alerts.get(0).threshold()).isEqualTo(300.0);
        assertThat(alerts.get(0).observed()).isEqualTo(300.0);
        assertThat(alerts.get(0).severity()).isEqualTo(Severity.HIGH);
    }

    @Test
    void staysQuietWhileTheBaselineWarmsUp() {
        fixture.steadyTraffic("key-1", 0, 5, 20);
        for (int i = 0; i < 1000; i++) {
            fixture.send(fixture.event("key-1", minute(5).plusMillis(i * 50L)));
        }

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
    }

    @Test
    void aKeyBackAfterWeeksOfSilenceWarmsUpAgainInsteadOfSpikingAtItsFirstOrdinaryMinute() {
        // a few minutes of use, then three weeks of silence: its recent level has faded to about zero
        fixture.steadyTraffic("key-1", 0, 15, 20);
        int back = 21 * 24 * 60;
        for (int m = back; m < back + 15; m++) {
            fixture.clock(minute(m).plusSeconds(59));
            fixture.steadyTraffic("key-1", m, m + 1, 30);
        }
        // its ordinary traffic on return is no spike: the key warms up again on minutes with traffic
        assertThat(fixture.usageAt("key-1", minute(back + 14)).requests()).isEqualTo(30L);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();

        // once warm again, a real spike still alerts
        fixture.clock(minute(back + 15).plusSeconds(59));
        fixture.steadyTraffic("key-1", back + 15, back + 16, 300);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart)
                .containsOnly(minute(back + 15));
    }

    @Test
    void aYoungKeyBackAfterTwoDaysOfSilenceAtAHundredTimesItsLevelIsAHighSpikeInItsFirstMinute() {
        // an hour at 20 a minute (no rhythm yet), two days of silence, then 2,000 requests in a minute from one client:
        // before, the key re-warmed unjudged and learnt those minutes as its new level (no alert at all)
        clockedTraffic(0, 60, 20);
        int back = 2 * 24 * 60 + 60;
        clockedTraffic(back, back + 1, 2000);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // MEDIUM once improbable (60 requests), the same alert HIGH at the paging floor (100)
        assertThat(alerts).extracting(Alert::windowStart, Alert::severity)
                .containsExactly(tuple(minute(back), Severity.MEDIUM), tuple(minute(back), Severity.HIGH));
        Alert alert = alerts.get(1);
        assertThat(alert.baseline()).isEqualTo(20.0, within(0.5));
        assertThat(alert.evidence().get("expectedFrom").toString()).contains("silence");
        assertThat(((Number) alert.evidence().get("beforeSilenceRequestsPerMinute")).doubleValue())
                .isEqualTo(20.0, within(0.5));
    }

    @Test
    void aSmallYoungKeyBackAfterTwoDaysOfSilenceAtTwelveTimesItsLevelIsAMediumSpike() {
        clockedTraffic(0, 60, 5);
        int back = 2 * 24 * 60 + 60;
        clockedTraffic(back, back + 3, 60);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart, Alert::severity)
                .containsExactly(tuple(minute(back), Severity.MEDIUM));
    }

    @Test
    void aYoungKeyBackAfterTwoDaysOfSilenceAtItsUsualLevelRaisesNothing() {
        clockedTraffic(0, 60, 20);
        int back = 2 * 24 * 60 + 60;
        clockedTraffic(back, back + 30, 20);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
    }

    @Test
    void aKeyBackWithinHoursAtALevelItWasAlertedForRaisesNothingNewButAHigherLevelStillAlerts() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "1440"));
        clockedTraffic(0, 30, 20);
        clockedTraffic(30, 33, 300);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart)
                .containsOnly(minute(30));

        // two hours at its usual level, then back at a level it was alerted for (a second wave of the same news,
        // the same client retrying): nothing new; without the memory (volume.burstMemoryMinutes 0) this alerts
        clockedTraffic(33, 150, 20);
        clockedTraffic(150, 153, 250);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
        assertThat(fixture.usageAt("key-1", minute(152)).baselineRequests()).isGreaterThan(80.0);

        // well above the remembered burst it alerts, and says what it was compared to
        clockedTraffic(153, 160, 20);
        clockedTraffic(160, 161, 1500);
        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart).containsOnly(minute(160));
        assertThat(alerts.get(0).evidence().get("expectedFrom").toString()).contains("burst");
    }

    @Test
    void withoutABurstMemoryTheSameReturnAlertsAgain() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "0"));
        clockedTraffic(0, 30, 20);
        clockedTraffic(30, 33, 300);
        clockedTraffic(33, 150, 20);
        clockedTraffic(150, 153, 250);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart)
                .containsOnly(minute(30), minute(150));
    }

    @Test
    void aLeakedKeysReturnAtALevelAnEarlierHarmlessBurstReachedIsCriticalDespiteTheBurstMemory() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "1440"));
        clockedTraffic(0, 30, 20);
        // a harmless burst from the key's one client: HIGH, and remembered for a day
        clockedTraffic(30, 33, 300);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart, Alert::severity)
                .contains(tuple(minute(30), Severity.HIGH)).doesNotContain(tuple(minute(30), Severity.CRITICAL));
        // the same client back at that level: the memory still works
        clockedTraffic(33, 150, 20);
        clockedTraffic(150, 153, 250);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();

        // within the memory, the same level from 50 IPs in 5 countries: a leaked key, judged without the memory
        clockedTraffic(153, 170, 20);
        fixture.clock(minute(170).plusSeconds(59));
        for (int i = 0; i < 250; i++) {
            fixture.send(spread(fixture.event("key-1", minute(170).plusMillis(i * 230L)), i, 50));
        }
        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart).containsOnly(minute(170));
        assertThat(alerts).extracting(Alert::severity).contains(Severity.CRITICAL);
        assertThat(alerts.get(alerts.size() - 1).baseline()).isLessThan(80.0);
    }

    @Test
    void aJobsUsualBurstRaisesNothingOnceItRecursButTheSameBurstFromALeakedKeyIsCritical() {
        int day5 = fourDaysOfAnHourlyJob();
        clockedTraffic(day5, day5 + 1, 150);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
        assertThat(fixture.usageAt("key-1", minute(day5)).baselineRequests()).isLessThan(50.0);

        // the next run's burst from 50 IPs in 5 countries: a leaked key, judged without the job's peak
        int next = day5 + 60;
        fixture.clock(minute(next).plusSeconds(59));
        for (int i = 0; i < 150; i++) {
            fixture.send(spread(fixture.event("key-1", minute(next).plusMillis(i * 390L)), i, 50));
        }
        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart, Alert::severity).contains(tuple(minute(next), Severity.CRITICAL));
    }

    @Test
    void aBurstWellAboveAJobsUsualOneSaysWhatTheJobsPeakIs() {
        int day5 = fourDaysOfAnHourlyJob();
        clockedTraffic(day5, day5 + 1, 400);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart, Alert::severity).containsExactly(tuple(minute(day5),
                Severity.HIGH));
        // the busiest minute that recurred on the days after the first
        assertThat(((Number) alerts.get(0).evidence().get("recurringPeakRequests")).doubleValue())
                .isCloseTo(150, within(0.1));
        // twice the peak, within the minute's expectation and twice what the job adds to the hour (about 150 less
        // the hour's own level of 2.5 a minute)
        assertThat(((Number) alerts.get(0).evidence().get("recurringPeakAllowance")).doubleValue())
                .isCloseTo(300, within(10.0));
        assertThat(alerts.get(0).summary()).contains("busiest minute recurs at about");
    }

    @Test
    void aLeakedKeyBackAfterAWeekendOfSilenceIsCriticalWithinItsFirstMinutes() {
        weekdayHistoryThenAWeekend();
        int monday = 7 * 24 * 60;
        for (int m = monday; m < monday + 3; m++) {
            fixture.clock(minute(m).plusSeconds(59));
            for (int i = 0; i < 2000; i++) {
                fixture.send(spread(fixture.event("key-1", minute(m).plusMillis(i * 29L)), i, 30));
            }
        }
        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart, Alert::severity)
                .contains(tuple(minute(monday), Severity.CRITICAL));
    }

    @Test
    void aKeyBackAfterAWeekendOfSilenceAtItsUsualLevelRaisesNothing() {
        weekdayHistoryThenAWeekend();
        int monday = 7 * 24 * 60;
        clockedTraffic(monday, monday + 60, 20);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
    }

    /**
     * An hourly job: 150 requests in the first minute of each hour, for four days; returns the minute of the fifth
     * day's first run. Its first days page, before its busiest minute recurred on three days: not what is tested.
     */
    private int fourDaysOfAnHourlyJob() {
        for (int m = 0; m < 4 * 24 * 60; m += 60) {
            clockedTraffic(m, m + 1, 150);
        }
        fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        return 4 * 24 * 60;
    }

    /** A week of history: 20 requests a minute from 10:00 to 11:00 UTC, Monday to Friday ({@code T0} is a Monday). */
    private void weekdayHistoryThenAWeekend() {
        for (int day = 0; day < 5; day++) {
            clockedTraffic(day * 24 * 60, day * 24 * 60 + 60, 20);
        }
        // (while its hour of day is not learnt yet, each morning's rise may raise a MEDIUM: not what is tested here)
        fixture.readAlerts(AlertRule.VOLUME_SPIKE);
    }

    /** {@code perMinute} requests in each minute of {@code [from, to)}, the wall clock at each minute's end. */
    private void clockedTraffic(int from, int to, int perMinute) {
        for (int m = from; m < to; m++) {
            fixture.clock(minute(m).plusSeconds(59));
            fixture.steadyTraffic("key-1", m, m + 1, perMinute);
        }
    }

    @Test
    void aSmallKeysSpikeUnderTheFloorIsMediumNotABlindSpot() {
        fixture.steadyTraffic("key-1", 0, 10, 2);
        for (int i = 0; i < 90; i++) {
            fixture.send(fixture.event("key-1", minute(10).plusMillis(i * 500L)));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM);
        assertThat(alerts.get(0).evidence()).containsEntry("severityReason",
                "below the paging floor of 100 requests (volume.belowFloorSeverity)");
    }

    @Test
    void theSeverityUnderTheFloorIsASettingAndMayBeNone() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BELOW_FLOOR_SEVERITY", "-1"));
        fixture.register("low", Registry.entry().threshold("volume.belowFloorSeverity", 0).build(), minute(0));
        for (String key : List.of("key-1", "low")) {
            fixture.steadyTraffic(key, 0, 10, 2);
            fixture.steadyTraffic(key, 10, 11, 90);
        }

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::keyId, Alert::severity)
                .containsExactly(tuple("low", Severity.LOW));
    }

    @Test
    void staysQuietForNormalVaryingTraffic() {
        int[] perMinute = {180, 220, 200, 150, 260, 210, 190, 240, 170, 230, 250, 160, 280, 200, 220};
        for (int m = 0; m < perMinute.length; m++) {
            for (int i = 0; i < perMinute[m]; i++) {
                fixture.send(fixture.event("key-1", minute(m).plusMillis(i * 200L)));
            }
        }

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
    }

    @Test
    void firesOncePerStreakOfAnomalousMinutesNotOncePerMinute() {
        fixture.steadyTraffic("key-1", 0, 10, 20);
        for (int m = 10; m < 14; m++) {
            for (int i = 0; i < 400; i++) {
                fixture.send(fixture.event("key-1", minute(m).plusMillis(i * 100L)));
            }
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // MEDIUM then HIGH in the first minute; the next minutes of the streak raise nothing new
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(alerts).extracting(Alert::id).containsOnly(
                Alert.idFor(AlertRule.VOLUME_SPIKE, "key-1", minute(10)));
        assertThat(fixture.usageAt("key-1", minute(13)).alerts()).doesNotContainKey(AlertRule.VOLUME_SPIKE);
    }

    @Test
    void aNewStreakAfterMoreNormalMinutesThanTheGapAlertsAgain() {
        // streaks, not the memory of alerted bursts: with it (the default) the second minute at 200 is judged against
        // the first one's 200 / volume.factor and alerts only at 200, HIGH at once (see the burst tests below)
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "0"));
        int resume = 11 + VolumeModel.SPIKE_GAP_MINUTES + 1;
        fixture.steadyTraffic("key-1", 0, 10, 20);
        fixture.steadyTraffic("key-1", 10, 11, 200);
        fixture.steadyTraffic("key-1", 11, resume, 20);
        fixture.steadyTraffic("key-1", resume, resume + 1, 200);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart, Alert::severity)
                .containsExactly(tuple(minute(10), Severity.MEDIUM), tuple(minute(10), Severity.HIGH),
                        tuple(minute(resume), Severity.MEDIUM), tuple(minute(resume), Severity.HIGH));
    }

    @Test
    void aSpikeAFewNormalMinutesAfterAnAlertedOneIsTheSameStreakAndRaisesNothingNew() {
        // without the gap a minute of the new level just below the critical count ended the streak, and the next one
        // started a new streak with a new alert (two alerts for one anomaly)
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "0"));
        fixture.steadyTraffic("key-1", 0, 10, 20);
        fixture.steadyTraffic("key-1", 10, 11, 200);
        fixture.steadyTraffic("key-1", 11, 11 + VolumeModel.SPIKE_GAP_MINUTES, 20);
        fixture.steadyTraffic("key-1", 11 + VolumeModel.SPIKE_GAP_MINUTES, 12 + VolumeModel.SPIKE_GAP_MINUTES, 200);

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::windowStart, Alert::severity)
                .containsExactly(tuple(minute(10), Severity.MEDIUM), tuple(minute(10), Severity.HIGH));
    }

    @Test
    void aSustainedLevelShiftAlertsOnceAndIsTheNewNormalAfterTheAdaptMinutes() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_ADAPT_MINUTES", "5"));
        fixture.steadyTraffic("key-1", 0, 10, 50);
        // a planned migration: four times the traffic from minute 10 on
        fixture.steadyTraffic("key-1", 10, 30, 200);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart).containsOnly(minute(10));
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.HIGH);
        // after the adapt minutes the new level is the key's normal
        assertThat(fixture.usageAt("key-1", minute(29)).baselineRequests()).isCloseTo(200.0, within(1.0));
    }

    @Test
    void isCriticalWhenTheSpikeComesFromManyIpsInSeveralCountries() {
        fixture.steadyTraffic("key-1", 0, 10, 20);
        for (int i = 0; i < 200; i++) {
            fixture.send(spread(fixture.event("key-1", minute(10).plusMillis(i * 100L)), i, 40));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // below the floor the spike is MEDIUM whatever its sources; at the floor, many IPs and countries: CRITICAL
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.CRITICAL);
        Alert alert = alerts.get(1);
        assertThat(alert.summary()).contains("40 client IPs in 5 countries").contains("leaked");
        assertThat(alert.evidence())
                .containsEntry("distinctClientIps", 40)
                .containsEntry("distinctCountries", 5);
        @SuppressWarnings("unchecked")
        Map<String, Integer> countries = (Map<String, Integer>) alert.evidence().get("topCountries");
        assertThat(countries).containsOnlyKeys(COUNTRIES);
        assertThat(countries.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    }

    @Test
    void escalatesFromHighToCriticalOnceWithinTheMinute() {
        fixture.steadyTraffic("key-1", 0, 10, 20);
        for (int i = 0; i < 150; i++) {
            fixture.send(fixture.event("key-1", minute(10).plusMillis(i * 100L)));
        }
        for (int i = 150; i < 400; i++) {
            fixture.send(spread(fixture.event("key-1", minute(10).plusMillis(i * 100L)), i, 50));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.HIGH,
                Severity.CRITICAL);
        assertThat(alerts).extracting(Alert::id).containsOnly(
                Alert.idFor(AlertRule.VOLUME_SPIKE, "key-1", minute(10)));
        assertThat(alerts.get(2).observed()).isGreaterThan(150);
        assertThat(fixture.usageAt("key-1", minute(10)).alerts())
                .containsEntry(AlertRule.VOLUME_SPIKE, Severity.CRITICAL);
    }

    @Test
    void countsQuietMinutesAsZerosInTheBaselineOfAQuietKey() {
        // a key below drop.minExpected (20/min), busy for 10 minutes, then silent for 20: each quiet minute decays
        // the average like a minute of zeros
        fixture.steadyTraffic("key-1", 0, 10, 10);
        for (int i = 0; i < 200; i++) {
            fixture.send(fixture.event("key-1", minute(30).plusMillis(i * 50L)));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::severity).containsExactly(Severity.MEDIUM, Severity.HIGH);
        assertThat(alerts.get(0).baseline()).isCloseTo(10 * Math.pow(0.9, 20), within(0.01));
        assertThat(alerts.get(0).evidence()).containsEntry("baselineMinutes", 30);
    }

    @Test
    void aBusyKeysPauseIsNotLearntAsItsNormalUntilItLastsTheAdaptMinutes() {
        // a 300/min key silent for 20 minutes: improbable quiet minutes are held back, so its return at its usual
        // level is no spike, and a real spike is still measured against 300
        fixture.steadyTraffic("key-1", 0, 10, 300);
        fixture.steadyTraffic("key-1", 30, 31, 300);
        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).isEmpty();
        fixture.steadyTraffic("key-1", 31, 32, 1000);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).baseline()).isCloseTo(300, within(1.0));
        assertThat(alerts.get(0).threshold()).isEqualTo(900.0);
    }

    @Test
    void learnsEachKeySeparately() {
        for (int m = 0; m < 10; m++) {
            fixture.steadyTraffic("big", m, m + 1, 400);
            fixture.steadyTraffic("small", m, m + 1, 20);
        }
        for (int i = 0; i < 300; i++) {
            fixture.send(fixture.event("big", minute(10).plusMillis(i * 100L)));
            fixture.send(fixture.event("small", minute(10).plusMillis(i * 100L)));
        }

        assertThat(fixture.readAlerts(AlertRule.VOLUME_SPIKE)).extracting(Alert::keyId).containsOnly("small");
    }

    @Test
    void aRampOfTwentyPercentAMinuteIsOneStreakRaisedAgainPerFactorStepWhoseEvidenceNamesTheSlowAnchor() {
        fixture.steadyTraffic("key-1", 0, 30, 5);
        // x1.2 a minute, from 5 to about 1,200 a minute in half an hour: each minute below 3 x the recent level,
        // which an EWMA that learnt every minute as is would follow forever
        for (int m = 0; m < 30; m++) {
            fixture.steadyTraffic("key-1", 30 + m, 31 + m, (int) Math.ceil(5 * Math.pow(1.2, m + 1)));
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // one streak: its alert raised MEDIUM, raised higher only as HIGH at the paging floor; as the ramp climbs on,
        // a new alert for each volume.factor (3) x the count last alerted, naming the streak's alert; bounded by log3
        // of the climb, never one a minute
        Alert first = alerts.get(0);
        assertThat(alerts).filteredOn(alert -> alert.id().equals(first.id()))
                .extracting(Alert::severity).doesNotHaveDuplicates();
        List<Alert> again = alerts.stream().filter(alert -> !alert.id().equals(first.id())).toList();
        assertThat(again).isNotEmpty().allSatisfy(alert -> assertThat(alert.evidence())
                .containsEntry("raisedAgain", true).containsEntry("raisedAgainOf", first.id()));
        assertThat(alerts).hasSizeLessThanOrEqualTo(2 + (int) Math.ceil(Math.log(1200 / 5.0) / Math.log(3)));
        assertThat(first.evidence()).containsEntry("raisedAgain", false);
        assertThat(alerts.get(0).windowStart()).isBefore(minute(45));
        assertThat(alerts.get(0).evidence()).containsEntry("slowAnchorTriggered", true).containsKey("slowAnchorPValue");
        assertThat(alerts.get(0).summary()).contains("a ramp");
    }

    /** Gives the i-th event one of {@code ips} client IPs, in one of five countries. */
    private static UsageEvent spread(UsageEvent event, int i, int ips) {
        return event.withClient("203.0.113." + (i % ips), COUNTRIES[i % COUNTRIES.length], "python-requests");
    }
}
