package io.keywatch.tools.evaluate.labelled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WindowScoringTest {

    private static final Instant T0 = Instant.parse("2015-03-01T00:00:00Z");
    private static final Window FIRST = new Window(T0.plus(Duration.ofHours(10)), T0.plus(Duration.ofHours(12)));
    private static final Window SECOND = new Window(T0.plus(Duration.ofHours(30)), T0.plus(Duration.ofHours(31)));
    private static final Window THIRD = new Window(T0.plus(Duration.ofHours(50)), T0.plus(Duration.ofHours(51)));

    private static Raised at(String id, double hours) {
        return new Raised(id, AlertRule.VOLUME_SPIKE, T0.plusSeconds((long) (hours * 3600)));
    }

    @Test
    void countsDetectedMissedAndFalseAlertsAndTheTimeToDetectFromTheWindowStart() {
        List<Raised> alerts = List.of(
                at("a", 5),      // before every window: false
                at("b", 10.5),   // detects FIRST after 30 min
                at("c", 11),     // FIRST again: neither a new detection nor false
                at("d", 12.5),   // half an hour after FIRST: false without slack
                at("e", 30),     // detects SECOND at once (the start is inside)
                at("f", 60));    // after every window: false; THIRD is missed

        WindowScore score = new WindowScoring(Duration.ZERO).score(List.of(FIRST, SECOND, THIRD), alerts, 100);

        assertThat(score.windows()).isEqualTo(3);
        assertThat(score.detected()).isEqualTo(2);
        assertThat(score.timesToDetect()).containsExactly(Duration.ofMinutes(30), Duration.ZERO);
        assertThat(score.alerts()).isEqualTo(6);
        assertThat(score.falseAlerts()).isEqualTo(3);
        assertThat(score.falseBursts()).isEqualTo(3); // 5 h, 12.5 h and 60 h: each on its own
        assertThat(score.falseAlertsPer10kKeyHours()).isEqualTo(300.0); // 3 over 100 key-hours
        assertThat(score.medianTimeToDetect()).contains(Duration.ofMinutes(15));
        assertThat(score.maxTimeToDetect()).contains(Duration.ofMinutes(30));
        assertThat(score.silentSeries()).isZero();
    }

    @Test
    void falseAlertsLessThanAnHourApartAreOneBurst() {
        List<Raised> alerts = List.of(at("a", 1), at("b", 1.5), at("c", 2.4), at("d", 3.5), at("e", 20));

        WindowScore score = new WindowScoring(Duration.ZERO).score(List.of(FIRST), alerts, 100);

        assertThat(score.falseAlerts()).isEqualTo(5);
        assertThat(score.falseBursts()).isEqualTo(3); // 1 to 2.4 h; 3.5 h (1.1 h later); 20 h
        assertThat(WindowScore.NONE.plus(score).plus(score).falseBursts()).isEqualTo(6);
    }

    @Test
    void theSlackCountsAnAlertShortlyAfterAWindowAsItsDetectionNotAsFalse() {
        Window window = new Window(T0, T0.plus(Duration.ofHours(1)));
        List<Raised> alerts = List.of(at("late", 1.25));

        WindowScore strict = new WindowScoring(Duration.ZERO).score(List.of(window), alerts, 10);
        WindowScore slack = new WindowScoring(Duration.ofMinutes(15)).score(List.of(window), alerts, 10);

        assertThat(strict.detected()).isZero();
        assertThat(strict.falseAlerts()).isEqualTo(1);
        assertThat(slack.detected()).isEqualTo(1);
        assertThat(slack.falseAlerts()).isZero();
        assertThat(slack.timesToDetect()).containsExactly(Duration.ofMinutes(75));
    }

    @Test
    void aSeriesWithoutAlertsIsSilentAndScoresAreSummedPerGroup() {
        WindowScoring scoring = new WindowScoring(Duration.ZERO);
        WindowScore silent = scoring.score(List.of(FIRST, SECOND), List.of(), 5_000);
        WindowScore noisy = scoring.score(List.of(THIRD), List.of(at("x", 50.5), at("y", 1)), 5_000);

        WindowScore group = WindowScore.NONE.plus(silent).plus(noisy);

        assertThat(silent.silentSeries()).isEqualTo(1);
        assertThat(silent.medianTimeToDetect()).isEmpty();
        assertThat(group.series()).isEqualTo(2);
        assertThat(group.silentSeries()).isEqualTo(1);
        assertThat(group.windows()).isEqualTo(3);
        assertThat(group.detected()).isEqualTo(1);
        assertThat(group.falseAlerts()).isEqualTo(1);
        assertThat(group.keyHours()).isEqualTo(10_000);
        assertThat(group.falseAlertsPer10kKeyHours()).isEqualTo(1.0);
        assertThat(group.detectionRate()).isEqualTo(1.0 / 3);
    }

    @Test
    void falseAlertsAreSplitIntoPagesAndTheRest() {
        List<Raised> alerts = List.of(
                new Raised("m", AlertRule.VOLUME_SPIKE, T0.plusSeconds(3600), Severity.MEDIUM),
                new Raised("h", AlertRule.VOLUME_SPIKE, T0.plusSeconds(7200), Severity.HIGH),
                new Raised("c", AlertRule.VOLUME_SPIKE, T0.plusSeconds(14_400), Severity.CRITICAL),
                new Raised("in", AlertRule.VOLUME_SPIKE, T0.plus(Duration.ofHours(11)), Severity.HIGH));

        WindowScore score = new WindowScoring(Duration.ZERO).score(List.of(FIRST), alerts, 10_000);

        assertThat(score.falseAlerts()).isEqualTo(3);
        assertThat(score.falsePages()).isEqualTo(2);
        assertThat(score.falsePagesPer10kKeyHours()).isEqualTo(2.0);
        assertThat(score.plus(score).falsePages()).isEqualTo(4);
    }

    @Test
    void anAlertEscalatedWithinItsWindowCountsOnceAtItsFirstTrigger() {
        Alert high = alert("id-1", Severity.HIGH, T0.plusSeconds(90));
        Alert critical = alert("id-1", Severity.CRITICAL, T0.plusSeconds(120));
        Alert other = alert("id-2", Severity.HIGH, T0.plusSeconds(60));

        List<Raised> distinct = Raised.distinct(List.of(high, critical, other));

        assertThat(distinct).extracting(Raised::id).containsExactly("id-2", "id-1");
        assertThat(distinct.get(1).at()).isEqualTo(T0.plusSeconds(90));
        assertThat(distinct.get(1).severity()).as("the highest severity it reached").isEqualTo(Severity.CRITICAL);
        assertThat(distinct.get(1).pages()).isTrue();
        assertThat(Raised.isVolumeRule(AlertRule.VOLUME_SPIKE)).isTrue();
        assertThat(Raised.isVolumeRule(AlertRule.NEW_COUNTRY)).isFalse();
    }

    @Test
    void aGroupSumsEachRuleOverEverySeriesAlsoThoseWhereTheRuleRaisedNothing() {
        WindowScoring scoring = new WindowScoring(Duration.ZERO);
        PublicEvaluation.SeriesResult noisy = result("a.csv", List.of(FIRST),
                List.of(new Raised("n1", AlertRule.NEW_COUNTRY, T0.plusSeconds(60))), scoring);
        PublicEvaluation.SeriesResult quiet = result("b.csv", List.of(SECOND, THIRD), List.of(), scoring);

        PublicEvaluation.Result result = new PublicEvaluation.Result(List.of(noisy, quiet), Duration.ZERO);
        var byRule = result.byRule("tuning");

        // every volume rule is scored, raised or not; other rules only when they raised something
        assertThat(byRule).containsOnlyKeys(AlertRule.VOLUME_SPIKE, AlertRule.VOLUME_DROP, AlertRule.NEW_COUNTRY);
        assertThat(byRule.get(AlertRule.VOLUME_DROP).alerts()).isZero();
        assertThat(byRule.get(AlertRule.NEW_COUNTRY).windows()).isEqualTo(3);
        assertThat(byRule.get(AlertRule.NEW_COUNTRY).falseAlerts()).isEqualTo(1);
        assertThat(byRule.get(AlertRule.NEW_COUNTRY).keyHours()).isEqualTo(200);
        assertThat(byRule.get(AlertRule.VOLUME_SPIKE).silentSeries()).isEqualTo(2);
        assertThat(result.volume(null).series()).isEqualTo(2);
    }

    private static PublicEvaluation.SeriesResult result(String name, List<Window> windows, List<Raised> alerts,
                                                        WindowScoring scoring) {
        var rows = List.of(new io.keywatch.tools.backtest.CountSeries.Row(T0, 3_600_000, 1),
                new io.keywatch.tools.backtest.CountSeries.Row(T0.plus(Duration.ofHours(99)), 3_600_000, 1));
        LabelledSeries series = new LabelledSeries(name, false, 1,
                io.keywatch.tools.backtest.CountSeries.of("nab_x", "nab", rows), windows);
        Map<AlertRule, WindowScore> byRule = new java.util.EnumMap<>(AlertRule.class);
        for (AlertRule rule : AlertRule.values()) {
            byRule.put(rule, scoring.score(windows, alerts.stream().filter(a -> a.rule() == rule).toList(), 100));
        }
        return new PublicEvaluation.SeriesResult(series, 2, Duration.ZERO, alerts,
                byRule.get(AlertRule.VOLUME_SPIKE), byRule);
    }

    @Test
    void refusesANegativeSlackAndAWindowThatEndsBeforeItStarts() {
        assertThatThrownBy(() -> new WindowScoring(Duration.ofMinutes(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Window(T0, T0.minusSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }

    private static Alert alert(String id, Severity severity, Instant triggeredAt) {
        return new Alert(id, AlertRule.VOLUME_SPIKE, severity, "key_a", T0, T0.plusSeconds(60), triggeredAt,
                triggeredAt, 500, 100, 10.0, "spike", Map.of());
    }
}
