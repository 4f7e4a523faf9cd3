package io.keywatch.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.simulator.KeyProfile;
import io.keywatch.simulator.MixedWeek;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.simulator.WeekIncident;
import io.keywatch.simulator.WeekScenario;
import io.keywatch.tools.backtest.BacktestCli;
import io.keywatch.tools.evaluate.WeekEvaluation.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WeekEvaluationTest {

    private static final LocalDate MONDAY = LocalDate.parse("2026-11-16");
    private final MixedWeek week = new MixedWeek(SimulatorSettings.DEFAULTS.withKeys(20).withSeed(7)
            .withRates(0.2, 20), MONDAY, 7);

    @Test
    void scoresDetectionsSideEffectsLevelShiftsRegistryFindingsAndFalseAlerts() {
        List<WeekIncident> leaks = of(WeekScenario.LEAKED_KEY);
        List<WeekIncident> shifts = of(WeekScenario.LEVEL_SHIFT);
        WeekIncident leak = leaks.get(0);
        Set<String> incidentKeys = week.incidents().stream().map(WeekIncident::keyId).collect(Collectors.toSet());
        String quietKey = week.model().activeKeys().stream().map(KeyProfile::keyId)
                .filter(k -> !incidentKeys.contains(k)).findFirst().orElseThrow();
        List<Alert> alerts = new ArrayList<>();
        alerts.add(alert(AlertRule.VOLUME_SPIKE, Severity.HIGH, leak.keyId(), leak.start().plusSeconds(3)));
        // the same alert escalated: one alert, first trigger time
        alerts.add(alert(AlertRule.VOLUME_SPIKE, Severity.CRITICAL, leak.keyId(), leak.start().plusSeconds(3)));
        alerts.add(alert(AlertRule.IP_FANOUT, Severity.HIGH, leak.keyId(), leak.start().plusSeconds(10)));
        alerts.add(alert(AlertRule.VOLUME_SPIKE, Severity.HIGH, shifts.get(0).keyId(),
                shifts.get(0).start().plus(Duration.ofHours(1))));
        alerts.add(alert(AlertRule.VOLUME_SPIKE, Severity.HIGH, shifts.get(0).keyId(),
                shifts.get(0).start().plus(Duration.ofHours(30))));
        alerts.add(alert(AlertRule.KEY_EXPIRING, Severity.LOW, quietKey, week.start().plusSeconds(600)));
        alerts.add(alert(AlertRule.VOLUME_SPIKE, Severity.HIGH, quietKey, week.start().plus(Duration.ofDays(5))));

        WeekEvaluation evaluation = WeekEvaluation.score(week, alerts);

        assertThat(evaluation.alerts()).hasSize(6);
        assertThat(evaluation.rawAlertCount()).isEqualTo(7);
        assertThat(evaluation.alerts()).extracting(WeekEvaluation.Scored::verdict).containsExactlyInAnyOrder(
                Verdict.DETECTION, Verdict.SIDE_EFFECT, Verdict.LEVEL_SHIFT_NOTICE, Verdict.FALSE_ALERT,
                Verdict.REGISTRY_FINDING, Verdict.FALSE_ALERT);
        var scenarios = evaluation.byScenario();
        assertThat(scenarios.get(WeekScenario.LEAKED_KEY).incidents()).isEqualTo(2);
        assertThat(scenarios.get(WeekScenario.LEAKED_KEY).asExpected()).isEqualTo(1);
        assertThat(scenarios.get(WeekScenario.LEAKED_KEY).timesToDetect()).containsExactly(Duration.ofSeconds(3));
        assertThat(scenarios.get(WeekScenario.SMALL_KEY_LEAKED).asExpected()).isZero();
        // two alerts after the first step: not as expected; none after the second: as expected
        assertThat(scenarios.get(WeekScenario.LEVEL_SHIFT).asExpected()).isEqualTo(1);
        assertThat(evaluation.allAsExpected()).isFalse();
        var volume = evaluation.byRule().get(AlertRule.VOLUME_SPIKE);
        assertThat(volume.count(Verdict.DETECTION)).isEqualTo(1);
        assertThat(volume.count(Verdict.FALSE_ALERT)).isEqualTo(2);
        assertThat(evaluation.keyHours()).isEqualTo(20 * 7 * 24);
        assertThat(evaluation.per10kKeyHours(2)).isCloseTo(2 * 10_000.0 / 3_360, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aShortQuietWeekRunsEndToEndThroughTheBacktestAndCatchesTheBusyLeaks() {
        BacktestCli.Run run = BacktestCli.run("evaluate", "--week", "--day", "2026-11-16", "--days", "3",
                "--keys", "8", "--min-rate", "0.2", "--max-rate", "2");

        assertThat(run.exitCode()).as(run.err()).isIn(0, 1); // 1 when a scenario is not as expected
        assertThat(run.out()).contains("### Per scenario").contains("### Per rule")
                .contains("| LEAKED_KEY | VOLUME_SPIKE during it | 2 | 2 |");
    }

    @Test
    void weekOptionsAreCheckedClearly() {
        BacktestCli.Run days = BacktestCli.run("evaluate", "--day", "2026-11-16", "--days", "3");
        BacktestCli.Run tooShort = BacktestCli.run("evaluate", "--week", "--day", "2026-11-16", "--days", "2");

        assertThat(days.exitCode()).isEqualTo(2);
        assertThat(days.err()).contains("--days goes with --week");
        assertThat(tooShort.exitCode()).isEqualTo(2);
        assertThat(tooShort.err()).contains("3 to 28 days");
    }

    private List<WeekIncident> of(WeekScenario scenario) {
        return week.incidents().stream().filter(i -> i.scenario() == scenario).toList();
    }

    private static Alert alert(AlertRule rule, Severity severity, String keyId, Instant at) {
        Instant window = at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        return new Alert(Alert.idFor(rule, keyId, window), rule, severity, keyId, window, window.plusSeconds(60), at,
                at, 1, 1, null, rule + " on " + keyId, Map.of());
    }
}
