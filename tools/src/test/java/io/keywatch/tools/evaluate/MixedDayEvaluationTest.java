package io.keywatch.tools.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import io.keywatch.simulator.Incident;
import io.keywatch.simulator.IncidentKind;
import io.keywatch.simulator.MixedDay;
import io.keywatch.simulator.SimulatorSettings;
import io.keywatch.tools.backtest.Backtest;
import io.keywatch.tools.backtest.BacktestCli;
import io.keywatch.tools.backtest.BacktestResult;
import io.keywatch.tools.evaluate.MixedDayEvaluation.IncidentOutcome;
import io.keywatch.tools.evaluate.MixedDayEvaluation.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated day with an incident of every kind, replayed by the backtest and scored against its ground truth. */
class MixedDayEvaluationTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");

    @TempDir
    Path dir;

    /**
     * Every incident kind is caught by its expected rule, and nothing else fires that neither an incident nor the
     * registry explains. The bound on false positives is zero: the day is deterministic (same seed, same events,
     * same alerts, byte for byte), so there is no noise to allow for, and the simulator shapes ordinary traffic and
     * the registry to be quiet for every detector; a false positive here is a detector change to look at, not luck.
     */
    @Test
    void detectsEveryIncidentKindWithItsExpectedRuleAndNoFalsePositives() {
        // 16 quiet keys (1 to 4 requests per minute) keep the day to some 55,000 events
        MixedDay day = new MixedDay(SimulatorSettings.DEFAULTS.withKeys(16).withSeed(3).withRates(1, 4), DAY);
        List<UsageEvent> events = new ArrayList<>();
        day.generate(events::add);

        BacktestResult result = Backtest.fromEnv(Map.of()).run(events.iterator(), day.keyStateFeed());
        MixedDayEvaluation evaluation = MixedDayEvaluation.score(day, result.alerts());
        StringWriter table = new StringWriter();
        EvaluationReport.print(new PrintWriter(table), evaluation);
        System.out.println(table);

        assertThat(result.events()).isEqualTo(events.size());
        assertThat(result.deadLettered()).isZero();
        assertThat(result.late()).isZero();
        assertThat(evaluation.outcomes()).extracting(IncidentOutcome::kind)
                .containsExactlyInAnyOrder(IncidentKind.values());
        for (IncidentKind kind : IncidentKind.values()) {
            IncidentOutcome outcome = evaluation.outcome(kind);
            Incident incident = outcome.incident();
            assertThat(outcome.detected()).as("%s caught by %s\n%s", kind, kind.expectedRule(), table).isTrue();
            assertThat(outcome.detection().alert().rule()).isEqualTo(kind.expectedRule());
            assertThat(outcome.detection().alert().keyId()).isEqualTo(incident.keyId());
            assertThat(outcome.timeToDetect()).isGreaterThanOrEqualTo(Duration.ZERO)
                    .isLessThanOrEqualTo(Duration.between(incident.start(), incident.end()).plus(MixedDayEvaluation.SLACK));
        }
        assertThat(evaluation.falsePositives()).as(table.toString()).isEmpty();
        assertThat(evaluation.falsePositivesPer10kKeyHours()).isZero();
        assertThat(evaluation.keyHours()).isEqualTo(16 * 24);
        // the mixed day's history keeps every key in use as the simulated world had it: nothing is set apart
        assertThat(evaluation.alerts(Verdict.HISTORY_GAP)).isEmpty();
        assertThat(evaluation.alerts(Verdict.HOUSEKEEPING)).extracting(s -> s.alert().rule())
                .containsOnly(AlertRule.KEY_EXPIRING, AlertRule.KEY_UNUSED);
    }

    @Test
    void scoresAlertsByRuleKeyAndPeriod() {
        MixedDay day = MixedDay.of(7, 16, DAY);
        Incident brute = day.incidentsByKind().get(IncidentKind.BRUTE_FORCE);
        Incident leak = day.incidentsByKind().get(IncidentKind.LEAKED_KEY);
        Instant atBrute = brute.start().plusSeconds(3);
        MixedDay.HousekeepingFinding finding = day.housekeeping().get(0);
        String quietKey = day.model().activeKeys().stream().map(k -> k.keyId())
                .filter(id -> day.incidents().stream().noneMatch(i -> i.keyId().equals(id)))
                .findFirst().orElseThrow();

        List<Alert> alerts = List.of(
                // an escalation: one alert, two emissions, counted once at its highest severity
                alert(AlertRule.AUTH_FAILURE_BURST, Severity.HIGH, brute.keyId(), atBrute),
                alert(AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, brute.keyId(), atBrute.plusSeconds(2)),
                // another rule on the leaked key during the leak: a side effect
                alert(AlertRule.NEW_COUNTRY, Severity.HIGH, leak.keyId(), leak.start().plusSeconds(1)),
                // the leak's rule, but too late: not a detection, and nothing explains it
                alert(AlertRule.VOLUME_SPIKE, Severity.CRITICAL, leak.keyId(), leak.end().plus(Duration.ofMinutes(3))),
                // a registry finding the day expects
                alert(finding.rule(), Severity.LOW, finding.keyId(), day.start().plusSeconds(60)),
                // a spike on a key without an incident
                alert(AlertRule.VOLUME_SPIKE, Severity.HIGH, quietKey, day.start().plus(Duration.ofHours(5))));

        MixedDayEvaluation evaluation = MixedDayEvaluation.score(day, alerts);

        assertThat(evaluation.rawAlertCount()).isEqualTo(6);
        assertThat(evaluation.alerts()).hasSize(5);
        IncidentOutcome bruteForce = evaluation.outcome(IncidentKind.BRUTE_FORCE);
        assertThat(bruteForce.detected()).isTrue();
        assertThat(bruteForce.detection().alert().severity()).isEqualTo(Severity.CRITICAL);
        assertThat(bruteForce.detection().emissions()).isEqualTo(2);
        assertThat(bruteForce.timeToDetect()).isEqualTo(Duration.ofSeconds(3));
        IncidentOutcome leaked = evaluation.outcome(IncidentKind.LEAKED_KEY);
        assertThat(leaked.detected()).isFalse();
        assertThat(leaked.otherRules()).containsExactly(AlertRule.NEW_COUNTRY);
        assertThat(evaluation.allDetected()).isFalse();
        assertThat(evaluation.missed()).hasSize(IncidentKind.values().length - 1);
        assertThat(evaluation.alerts(Verdict.SIDE_EFFECT)).hasSize(1);
        assertThat(evaluation.alerts(Verdict.HOUSEKEEPING)).hasSize(1);
        assertThat(evaluation.falsePositives()).extracting(s -> s.alert().keyId())
                .containsExactlyInAnyOrder(leak.keyId(), quietKey);
        assertThat(evaluation.falsePositivesPer10kKeyHours()).isEqualTo(2 * 10_000.0 / (16 * 24));
    }

    @Test
    void evaluateCommandPrintsTheTableAndWritesJson() throws IOException {
        Path json = dir.resolve("evaluation.json");

        BacktestCli.Run run = BacktestCli.run("evaluate", "--seed", "3", "--keys", "16", "--day", "2026-11-20",
                "--min-rate", "0.5", "--max-rate", "2", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        for (IncidentKind kind : IncidentKind.values()) {
            assertThat(run.out()).containsPattern("(?m)^" + kind + " +yes +" + kind.expectedRule() + " ");
        }
        assertThat(run.out()).contains("detected 12 of 12 incidents", "0 false positives",
                "= 0.0 per 10,000 key-hours");
        assertThat(run.err()).contains("backtest: replayed");
        assertThat(run.out()).contains("per rule:").containsPattern("(?m)^  VOLUME_SPIKE +\\d+ +[1-9]\\d* +\\d+ +0 +0 +0 +0.0$");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.at("/byRule/VOLUME_SPIKE/DETECTION").asLong()).isPositive();
        assertThat(report.path("allDetected").asBoolean()).isTrue();
        assertThat(report.path("incidents")).hasSize(IncidentKind.values().length);
        assertThat(report.path("falsePositivesPer10kKeyHours").asDouble()).isZero();
        assertThat(report.path("keyHours").asLong()).isEqualTo(384);
    }

    @Test
    void evaluateCommandRejectsBadArguments() {
        BacktestCli.Run tooFew = BacktestCli.run("evaluate", "--keys", "3", "--day", "2026-11-20");
        assertThat(tooFew.exitCode()).isEqualTo(2);
        assertThat(tooFew.err()).contains("--keys must be between 16");

        BacktestCli.Run future = BacktestCli.run("evaluate", "--live", "--day", "2999-01-01");
        assertThat(future.exitCode()).isEqualTo(2);
        assertThat(future.err()).contains("--live needs a day that has ended");

        assertThat(BacktestCli.run("evaluate", "--day", "2026-11-20", "--min-rate", "5", "--max-rate", "1").exitCode())
                .isEqualTo(2);
        assertThat(BacktestCli.run("evaluate", "--day", "2026-11-20", "--env", "PATH=/x").exitCode()).isEqualTo(2);
        assertThat(BacktestCli.run("evaluate").exitCode()).isEqualTo(2);
    }

    private static Alert alert(AlertRule rule, Severity severity, String keyId, Instant triggeredAt) {
        Instant window = triggeredAt.truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        return new Alert(Alert.idFor(rule, keyId, window), rule, severity, keyId, window, window.plusSeconds(60),
                triggeredAt, triggeredAt, 1, 1, null, rule + " on " + keyId, Map.of());
    }
}
