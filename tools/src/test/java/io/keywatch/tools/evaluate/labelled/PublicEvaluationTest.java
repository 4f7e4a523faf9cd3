package io.keywatch.tools.evaluate.labelled;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.events.AlertRule;
import io.keywatch.tools.backtest.Backtest;
import io.keywatch.tools.backtest.BacktestCli;
import io.keywatch.tools.backtest.CountSeries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public evaluation end to end: series through the real backtest engine, alerts scored against windows. */
class PublicEvaluationTest {

    private static final Instant T0 = Instant.parse("2015-03-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSpikeInsideItsLabelledWindowIsDetectedAndNothingElseIsCalledFalse() {
        // two quiet hours at 40 requests a minute, ten minutes at 1,000 (labelled), an hour at 40 again
        List<CountSeries.Row> rows = new ArrayList<>();
        for (int minute = 0; minute < 190; minute++) {
            long count = minute >= 120 && minute < 130 ? 1_000 : 40;
            rows.add(new CountSeries.Row(T0.plus(Duration.ofMinutes(minute)), 60_000, count));
        }
        Window window = new Window(T0.plus(Duration.ofMinutes(120)), T0.plus(Duration.ofMinutes(135)));
        LabelledSeries series = new LabelledSeries("hand-made/spike.csv", false, 1,
                CountSeries.of("nab_spike", "nab", rows), List.of(window));

        PublicEvaluation.SeriesResult result = new PublicEvaluation(Backtest.fromEnv(Map.of()), PublicEvaluation.SLACK)
                .run(series);

        assertThat(result.events()).isEqualTo(series.series().totalRequests());
        assertThat(result.volume().windows()).isEqualTo(1);
        assertThat(result.volume().detected()).as("%s", result.alerts()).isEqualTo(1);
        assertThat(result.volume().falseAlerts()).as("%s", result.alerts()).isZero();
        assertThat(result.volume().timesToDetect()).singleElement()
                .satisfies(d -> assertThat(d).isLessThan(Duration.ofMinutes(3)));
        assertThat(result.byRule()).containsOnlyKeys(AlertRule.values()); // a group sums every rule over every series
        assertThat(result.volume().keyHours()).isEqualTo(190 / 60.0);
    }

    @Test
    void aSliceOfABundledSeriesReplaysEveryRequestAndEveryAlertIsEitherInAWindowOrFalse() {
        LabelledSeries aapl = NabDataset.load(NabDatasetTest.BUNDLE).stream()
                .filter(s -> s.name().equals("realTweets/Twitter_volume_AAPL.csv")).findFirst().orElseThrow()
                .firstHours(6);

        PublicEvaluation.Result result = new PublicEvaluation(Backtest.fromEnv(Map.of()), PublicEvaluation.SLACK)
                .run(List.of(aapl), line -> { });

        PublicEvaluation.SeriesResult only = result.series().get(0);
        assertThat(only.events()).isEqualTo(aapl.series().totalRequests()).isPositive();
        assertThat(aapl.keyHours()).isBetween(5.9, 6.1);
        WindowScore volume = result.volume("tuning");
        assertThat(volume.series()).isEqualTo(1);
        assertThat(volume.alerts()).isEqualTo((int) only.alerts().stream().filter(Raised::volumeRule).count());
        assertThat(volume.falseAlerts()).isLessThanOrEqualTo(volume.alerts());
        assertThat(result.volume("held-out")).isEqualTo(WindowScore.NONE);
    }

    @Test
    void theCommandPrintsBothGroupsAndWritesJson() throws IOException {
        Path json = dir.resolve("public.json");

        BacktestCli.Run run = BacktestCli.run("evaluate", "--public", NabDatasetTest.BUNDLE.toString(),
                "--max-hours", "6", "--json", json.toString());

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("### Volume rules, per group")
                .contains("| tuning | keywatch | 8 |").contains("| held-out | keywatch | 4 |")
                .contains("| all | keywatch | 12 |").contains("| tuning | baseline: rolling mean + ")
                .contains("false pages (HIGH+)").contains("### The rolling baseline, chosen on the tuning group only")
                .contains("realKnownCause/nyc_taxi.csv (/100)");
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.at("/groups/held-out/volume/series").asInt()).isEqualTo(4);
        assertThat(report.at("/groups/held-out/volume/falsePages").isInt()).isTrue();
        assertThat(report.at("/groups/tuning/baseline/windows").asInt())
                .isEqualTo(report.at("/groups/tuning/volume/windows").asInt());
        assertThat(report.at("/baseline/0/tuning/series").asInt()).as("the baseline is chosen on the tuning group")
                .isEqualTo(8);
        assertThat(report.at("/series").size()).isEqualTo(12);
        assertThat(report.at("/series/0/events").asLong()).isPositive();
    }

    @Test
    void theGroupAndSeriesOptionsReplayOnlyTheSeriesAskedFor() {
        BacktestCli.Run heldOut = BacktestCli.run("evaluate", "--public", NabDatasetTest.BUNDLE.toString(),
                "--max-hours", "2", "--group", "held-out");
        BacktestCli.Run tweets = BacktestCli.run("evaluate", "--public", NabDatasetTest.BUNDLE.toString(),
                "--max-hours", "2", "--series", "realKnownCause/nyc_*");
        BacktestCli.Run wrong = BacktestCli.run("evaluate", "--public", NabDatasetTest.BUNDLE.toString(),
                "--group", "all\u001b[2J");
        BacktestCli.Run none = BacktestCli.run("evaluate", "--public", NabDatasetTest.BUNDLE.toString(),
                "--series", "nothing/*");

        assertThat(heldOut.exitCode()).as(heldOut.err()).isZero();
        assertThat(heldOut.out()).contains("| held-out | keywatch | 4 |").contains("| tuning | keywatch | 0 |");
        assertThat(tweets.exitCode()).as(tweets.err()).isZero();
        assertThat(tweets.out()).contains("| all | keywatch | 1 |").contains("realKnownCause/nyc_taxi.csv");
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--group is tuning or held-out").doesNotContain("\u001b");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("no public series matches");
    }

    @Test
    void refusesPublicWithADayAndAMissingFolderClearly() {
        BacktestCli.Run both = BacktestCli.run("evaluate", "--public", "--day", "2026-11-20");
        BacktestCli.Run missing = BacktestCli.run("evaluate", "--public", dir.resolve("nowhere").toString());
        BacktestCli.Run neither = BacktestCli.run("evaluate");

        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("--public replays the bundled series");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot read").contains("windows.csv");
        assertThat(neither.exitCode()).isEqualTo(2);
        assertThat(neither.err()).contains("--day YYYY-MM-DD").contains("--public");
    }
}
