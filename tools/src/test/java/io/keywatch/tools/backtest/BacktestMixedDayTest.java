package io.keywatch.tools.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.KeyState;
import io.keywatch.simulator.IncidentKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulate-day command's files, read back by the backtest. Whether the backtest catches the day's incidents is
 * scored in {@code io.keywatch.tools.evaluate.MixedDayEvaluationTest}.
 */
class BacktestMixedDayTest {

    @TempDir
    Path dir;

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
