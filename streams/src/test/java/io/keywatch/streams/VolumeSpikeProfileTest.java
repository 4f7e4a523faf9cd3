package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.minute;
import static io.keywatch.streams.TopologyFixture.withOutcome;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.streams.aggregate.VolumeModel;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VOLUME_SPIKE's baseline: the daily rhythm, robustness to outliers, what counts as volume, per-key settings. */
class VolumeSpikeProfileTest {

    private static final Instant MIDNIGHT = Instant.parse("2026-03-02T00:00:00Z");

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    @Test
    void learnsADailyPeakSoTheUsualMorningIsNotASpike() {
        fixture.register("key-1", Registry.entry().threshold("volume.floor", 10).build(), MIDNIGHT);
        List<Instant> peaks = List.of(MIDNIGHT, MIDNIGHT.plus(Duration.ofDays(1)), MIDNIGHT.plus(Duration.ofDays(2)),
                        MIDNIGHT.plus(Duration.ofDays(3)))
                .stream().map(day -> day.plus(Duration.ofHours(9))).toList();
        for (Instant peak : peaks) {
            // a quiet night and morning: one request every 10 minutes; then an hour of 30 requests a minute
            for (Instant t = peak.minus(Duration.ofHours(9)); t.isBefore(peak); t = t.plus(Duration.ofMinutes(10))) {
                fixture.sendLater(fixture.event("key-1", t));
            }
            fixture.clock(peak.plus(Duration.ofHours(1)));
            for (int m = 0; m < 60; m++) {
                fixture.sendMinute("key-1", peak.plus(Duration.ofMinutes(m)), 30, (event, i) -> event);
            }
            for (Instant t = peak.plus(Duration.ofHours(1)); t.isBefore(peak.plus(Duration.ofHours(15)));
                    t = t.plus(Duration.ofMinutes(10))) {
                fixture.sendLater(fixture.event("key-1", t));
            }
        }

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        // the first mornings are new (an hour of day counts once seen on three days); the fourth is the key's habit
        assertThat(alerts).isNotEmpty().allSatisfy(alert ->
                assertThat(alert.windowStart()).isBefore(peaks.get(3)));
        // one alert per morning: the peak hour is one streak of anomalous minutes
        assertThat(alerts).extracting(Alert::windowStart).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void anOutlierMinuteDoesNotHideTheNextSpike() {
        // how the outlier is learnt, not the memory of alerted bursts (which deliberately hides a return to about the
        // alerted level: aKeyBackWithinHoursAtALevelItWasAlertedFor... in VolumeSpikeTest)
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_BURST_MEMORY_MINUTES", "0"));
        fixture.steadyTraffic("key-1", 0, 15, 50);
        fixture.steadyTraffic("key-1", 15, 16, 1000);
        // past the streak's gap (a spike a few minutes later is the same streak: VolumeSpikeTest)
        int next = 16 + VolumeModel.SPIKE_GAP_MINUTES + 1;
        fixture.steadyTraffic("key-1", 16, next, 50);
        fixture.steadyTraffic("key-1", next, next + 1, 330);

        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::windowStart).containsExactly(minute(15), minute(next));
        // the 1000-request minute was learnt as 150 (3 x the usual 50): the baseline moved by 10, not by 95
        assertThat(alerts.get(1).baseline()).isLessThan(60.0);
        assertThat(alerts.get(1).threshold()).isLessThan(330.0);
    }

    @Test
    void aBruteForceBurstIsNotAVolumeSpike() {
        fixture.steadyTraffic("key-1", 0, 10, 20);
        fixture.sendMinute("key-1", minute(10), 300, (event, i) -> withOutcome(event, AuthResult.INVALID_SECRET, 401));

        assertThat(fixture.readAlerts()).extracting(Alert::rule).containsOnly(AlertRule.AUTH_FAILURE_BURST,
                AlertRule.UNKNOWN_KEY);
        assertThat(fixture.usageAt("key-1", minute(10)).requests()).isEqualTo(300);
    }

    @Test
    void respectsPerKeyAndGlobalThresholds() {
        fixture.restart(Map.of("KEYWATCH_DETECT_VOLUME_FLOOR", "50", "KEYWATCH_DETECT_VOLUME_WARMUP_MINUTES", "5"));
        fixture.register("sensitive", Registry.entry().threshold("volume.floor", 30).build(), minute(0));
        fixture.register("relaxed", Registry.entry().threshold("volume.factor", 20).build(), minute(0));
        fixture.register("off", Registry.entry().threshold("volume.enabled", 0).build(), minute(0));
        fixture.register("bad-override", Registry.entry().threshold("volume.floor", -3).build(), minute(0));
        List<String> keys = List.of("sensitive", "relaxed", "off", "bad-override", "global");
        for (int m = 0; m < 5; m++) {
            for (String key : keys) {
                fixture.steadyTraffic(key, m, m + 1, 5);
            }
        }
        for (String key : keys) {
            fixture.steadyTraffic(key, 5, 6, 40);
        }
        // 40 a minute on a 5 a minute key: a spike for every key that has the rule and a factor below 8; HIGH only
        // at or above the key's floor (30 for "sensitive", the global 50 for the others), MEDIUM below it
        List<Alert> first = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(first).extracting(Alert::keyId, Alert::severity).containsExactly(
                tuple("sensitive", Severity.MEDIUM), tuple("sensitive", Severity.HIGH),
                tuple("bad-override", Severity.MEDIUM), tuple("global", Severity.MEDIUM));

        for (String key : keys) {
            fixture.steadyTraffic(key, 6, 7, 60);
        }
        // the streak goes on: only a higher severity alerts again (60 reaches the global floor of 50)
        List<Alert> alerts = fixture.readAlerts(AlertRule.VOLUME_SPIKE);
        assertThat(alerts).extracting(Alert::keyId, Alert::severity).containsExactly(
                tuple("bad-override", Severity.HIGH), tuple("global", Severity.HIGH));
        // the invalid per-key floor is ignored: the global floor of 50 applies
        assertThat(((Number) alerts.get(0).evidence().get("floor")).doubleValue()).isEqualTo(50.0);
        assertThat(alerts.get(0).threshold()).isEqualTo(50.0);
        // one streak: the same alert id, from the minute it began
        assertThat(alerts.get(0).id()).isEqualTo(first.get(2).id());
        assertThat(alerts.get(0).windowStart()).isEqualTo(minute(5));
    }
}
