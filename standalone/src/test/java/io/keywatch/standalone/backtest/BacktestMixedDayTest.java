package io.keywatch.standalone.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyState;
import io.keywatch.events.UsageEvent;
import io.keywatch.ingest.simulator.Incident;
import io.keywatch.ingest.simulator.IncidentKind;
import io.keywatch.ingest.simulator.MixedDay;
import io.keywatch.ingest.simulator.SimulatorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A simulated day with one incident of every kind, through the engine and through the two commands. */
class BacktestMixedDayTest {

    private static final LocalDate DAY = LocalDate.parse("2026-11-20");
    /** The rules the topology had before the new detectors; they must catch their incidents and stay quiet otherwise. */
    private static final Set<AlertRule> FIRST_RULES =
            EnumSet.of(AlertRule.VOLUME_SPIKE, AlertRule.AUTH_FAILURE_BURST, AlertRule.REVOKED_KEY_USED);

    @TempDir
    Path dir;

    @Test
    void catchesTheDaysIncidentsWithoutFalseAlarmsOnOtherKeys() {
        // quiet keys keep the day to some 50,000 events
        MixedDay day = new MixedDay(SimulatorSettings.DEFAULTS.withKeys(16).withSeed(3).withRates(1, 4), DAY);
        List<UsageEvent> events = new ArrayList<>();
        day.generate(events::add);

        BacktestResult result = Backtest.fromEnv(Map.of()).run(events.iterator(), day.keyStateFeed());

        assertThat(result.events()).isEqualTo(events.size());
        assertThat(result.deadLettered()).isZero();
        assertThat(result.late()).isZero();
        assertThat(result.keyStates()).isEqualTo(day.keyStateFeed().size());
        Map<IncidentKind, Incident> incidents = day.incidentsByKind();
        for (IncidentKind kind : List.of(IncidentKind.LEAKED_KEY, IncidentKind.BRUTE_FORCE,
                IncidentKind.REVOKED_KEY_REUSE)) {
            Incident incident = incidents.get(kind);
            assertThat(result.alerts(kind.expectedRule())).as("%s alerts for %s", kind.expectedRule(), incident.describe())
                    .anySatisfy(alert -> {
                        assertThat(alert.keyId()).isEqualTo(incident.keyId());
                        assertThat(alert.triggeredAt()).isBetween(incident.start(), incident.end());
                    });
        }
        List<Alert> falseAlarms = result.alerts().stream()
                .filter(a -> FIRST_RULES.contains(a.rule()))
                .filter(a -> incidents.values().stream().noneMatch(i -> i.keyId().equals(a.keyId())
                        && !a.triggeredAt().isBefore(i.start()) && a.triggeredAt().isBefore(i.end().plus(Duration.ofMinutes(2)))))
                .toList();
        assertThat(falseAlarms).isEmpty();
    }

    @Test
    void simulateDayWritesFilesThatTheBacktestReads() throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path registry = dir.resolve("keys.jsonl");
        Path truth = dir.resolve("incidents.jsonl");
        Path housekeeping = dir.resolve("housekeeping.jsonl");

        BacktestCli.Run run = BacktestCli.run("simulate-day", "--seed", "5", "--keys", "16", "--day", "2026-11-20",
                "--out", events.toString(), "--registry", registry.toString(), "--truth", truth.toString(),
                "--housekeeping", housekeeping.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("wrote", "injected LEAKED_KEY", "injected UNKNOWN_KEY");
        List<String> truthLines = Files.readAllLines(truth);
        assertThat(truthLines).hasSize(IncidentKind.values().length);
        for (IncidentKind kind : IncidentKind.values()) {
            assertThat(truthLines).anySatisfy(line -> assertThat(line)
                    .contains("\"kind\":\"" + kind + "\"", "\"expectedRule\":\"" + kind.expectedRule() + "\"",
                            "\"start\":\"2026-11-20T", "\"keyId\":\"pk_"));
        }
        List<KeyState> states = KeyStateFile.read(registry);
        assertThat(states).hasSize(17).allSatisfy(s -> assertThat(s.metadata()).isNotNull());
        assertThat(Files.readAllLines(housekeeping)).isNotEmpty();
        long lines;
        try (var stream = Files.lines(events)) {
            lines = stream.count();
        }
        assertThat(lines).isGreaterThan(100_000);
        try (EventLines read = EventLines.open(events, bad -> { throw new AssertionError(bad.toString()); })) {
            for (int i = 0; i < 1000 && read.hasNext(); i++) {
                read.next();
            }
        }

        // the same arguments write the same bytes
        Path again = dir.resolve("again.jsonl");
        assertThat(BacktestCli.run("simulate-day", "--seed", "5", "--keys", "16", "--day", "2026-11-20",
                "--out", again.toString()).exitCode()).isZero();
        assertThat(Files.mismatch(events, again)).isEqualTo(-1);
    }

    @Test
    void simulateDayRejectsTooFewKeys() {
        BacktestCli.Run run = BacktestCli.run("simulate-day", "--keys", "3", "--day", "2026-11-20",
                "--out", dir.resolve("x.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("at least 16");
        assertThat(BacktestCli.run("simulate-day", "--day", "20 Nov", "--out", "x").exitCode()).isEqualTo(2);
    }
}
