package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReporterTest {

    static BenchReport sample() {
        return new BenchReport(
                new BenchReport.Setup("2026-11-27T21:00:00Z", 2, 6028, "17.0.15", BenchSettings.QUICK, 1.5, 10_050),
                new BenchReport.Throughput(300_000, 75_000, 10_000, 30.0, 10_000, 20.0, 15_000, 0.6667),
                detection(),
                BenchReport.PassThrough.of(20_000, 19_800, new Latencies(600, 60.0, 120.0, 130), detection()),
                new BenchReport.Revocation(200, new Latencies(50, 300, 450, 460), new Latencies(50, 310, 470, 480)),
                new BenchReport.Api(50_000, 2.5, 16, "child JVM", "viewer",
                        new BenchReport.ApiRun("/api/v1/alerts", 16, 5.0, 10_000, 0, 2_000, 21_000,
                                new Latencies(10_000, 4.5, 12.0, 30.0)),
                        new BenchReport.ApiRun("/api/v1/bench/same-bytes", 16, 5.0, 25_000, 0, 5_000, 30_000,
                                new Latencies(25_000, 1.5, 6.0, 20.0)), 0.4,
                        new BenchReport.ApiRun("/api/v1/alerts?view=summary", 16, 5.0, 15_000, 0, 3_000, 6_500,
                                new Latencies(15_000, 3.5, 9.0, 25.0)),
                        new BenchReport.ApiRun("/api/v1/bench/same-bytes", 16, 5.0, 30_000, 0, 6_000, 9_000,
                                new Latencies(30_000, 1.2, 5.0, 18.0)), 0.5),
                new BenchReport.Footprint(512, 1_400, 12.5, 1_310.7, 10_050));
    }

    private static BenchReport.Detection detection() {
        return new BenchReport.Detection(20_000, 19_500, 50, new Latencies(50, 120.5, 240.25, 250),
                new Latencies(50, 60.5, 110.0, 120), new Latencies(50, 90.0, 180.0, 190), 1_000, 0.5, 18_000);
    }

    @Test
    void theTableHasEverySectionWithUnits() {
        StringWriter text = new StringWriter();
        new BenchReporter().printTable(sample(), new PrintWriter(text));
        String table = text.toString();
        assertThat(table.lines().map(line -> line.split("\\s+")[0]))
                .contains("setup", "throughput", "detection", "pass-through", "revocation", "api", "footprint");
        assertThat(table)
                .contains("10,000 events/s (30.0 s)")
                .contains("15,000 events/s (20.0 s)")
                .contains("0.67")
                .contains("p50 120.5 ms, p99 240.3 ms, max 250.0 ms (50 of 50)")
                .contains("p50 90.0 ms, p99 180.0 ms, max 190.0 ms (50 of 50)")
                .containsPattern("ratio alert on topic / pass-through +p50 1.50, p99 1.50")
                .containsPattern("ratio alert in API / pass-through +p50 2.01, p99 2.00")
                .contains("2,000 requests/s, 21,000 bytes each")
                .contains("5,000 requests/s, 30,000 bytes each")
                .containsPattern("list / same bytes, throughput +0.40 \\(load from a child JVM, viewer token\\)")
                .contains("3,000 requests/s, 6,500 bytes each")
                .containsPattern("summary list / same bytes, throughput +0.50")
                .contains("512 MiB")
                .contains("1,311 bytes/key (10,050 keys)");
    }

    @Test
    void theJsonHasEverySectionAsNumbers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/bench.json");
        new BenchReporter().writeJson(sample(), file);
        JsonNode json = new ObjectMapper().readTree(Files.readString(file));
        assertThat(json.path("throughput").path("ratio").asDouble()).isEqualTo(0.6667);
        assertThat(json.path("detection").path("latency").path("p99Ms").asDouble()).isEqualTo(240.25);
        assertThat(json.path("revocation").path("webhook").path("p50Ms").asDouble()).isEqualTo(300);
        assertThat(json.path("passThrough").path("latency").path("p99Ms").asDouble()).isEqualTo(120);
        assertThat(json.path("passThrough").path("topicP99Ratio").asDouble()).isEqualTo(1.5);
        assertThat(json.path("passThrough").path("apiP99Ratio").asDouble()).isEqualTo(240.25 / 120);
        assertThat(json.path("api").path("list").path("requestsPerSecond").asDouble()).isEqualTo(2_000);
        assertThat(json.path("api").path("sameBytes").path("latency").path("p99Ms").asDouble()).isEqualTo(6.0);
        assertThat(json.path("api").path("listToSameBytesThroughput").asDouble()).isEqualTo(0.4);
        assertThat(json.path("footprint").path("heapUsedMiB").asDouble()).isEqualTo(512);
        assertThat(json.path("setup").path("settings").path("keys").asInt()).isEqualTo(10_000);
        // Durations are written in seconds
        assertThat(json.path("setup").path("settings").path("apiDuration").asDouble()).isEqualTo(5.0);
    }

    @Test
    void theLiveStepsAndTheSustainedRateAreShownNextToTheBulkRate() throws Exception {
        BenchReport base = sample();
        BenchReport.Live live = new BenchReport.Live(List.of(
                new BenchReport.LiveStep(2_000, 1_990, 2_010, 150, 0.2, 20, new Latencies(20, 110, 180, 190),
                        new Latencies(20, 60, 90, 95), true),
                new BenchReport.LiveStep(20_000, 19_000, 12_500, 90_000, 7.5, 20, new Latencies(20, 4_000, 7_000, 7_100),
                        new Latencies(20, 3_900, 6_900, 7_000), false)), 250, 2_000, 31_000);
        BenchReport report = new BenchReport(base.setup(), base.throughput(), base.detection(), base.passThrough(),
                base.revocation(), base.api(), base.footprint(), live);
        StringWriter text = new StringWriter();
        new BenchReporter().printTable(report, new PrintWriter(text));
        assertThat(text.toString())
                .containsPattern("live +2,000 events/s asked +1,990 sent from a child JVM, kept up with 2,010 .*; kept")
                .containsPattern("live +20,000 events/s asked .*not kept")
                .containsPattern("sustained live \\(p99 <= 250 ms\\) +2,000 events/s; bulk 31,000 events/s");
        // without --live the section is left out
        StringWriter plain = new StringWriter();
        new BenchReporter().printTable(base, new PrintWriter(plain));
        assertThat(plain.toString()).doesNotContain("live ");
    }

    @Test
    void aStepIsKeptOnlyWithTheRateSentEveryIncidentDetectedWithinTheTargetAndTheBacklogDrained() {
        Latencies fast = new Latencies(LivePhase.INCIDENTS_PER_STEP, 100, 240, 245);
        assertThat(LivePhase.kept(5_000, 4_990, fast, 0.3)).isTrue();
        assertThat(LivePhase.kept(5_000, 3_000, fast, 0.3)).as("the publisher fell behind the asked rate").isFalse();
        assertThat(LivePhase.kept(5_000, 4_990, fast, 1.5)).as("the backlog took too long to drain").isFalse();
        assertThat(LivePhase.kept(5_000, 4_990, new Latencies(LivePhase.INCIDENTS_PER_STEP, 100, 260, 270), 0.3))
                .isFalse();
        assertThat(LivePhase.kept(5_000, 4_990, new Latencies(LivePhase.INCIDENTS_PER_STEP - 1, 100, 200, 210), 0.3))
                .as("an incident never seen").isFalse();
        assertThat(LivePhase.kept(5_000, 4_990, new Latencies(0, -1, -1, -1), 0.0)).isFalse();
    }

    @Test
    void theSustainedRateIsTheHighestWithEveryLowerStepKept() {
        assertThat(LivePhase.sustained(List.of(step(2_000, true), step(5_000, true), step(10_000, false))))
                .isEqualTo(5_000);
        // a kept step above a failed one does not count: the machine did not sustain the rate in between
        assertThat(LivePhase.sustained(List.of(step(10_000, true), step(2_000, true), step(5_000, false))))
                .isEqualTo(2_000);
        assertThat(LivePhase.sustained(List.of(step(2_000, false), step(5_000, true)))).isZero();
        assertThat(LivePhase.sustained(List.of())).isZero();
    }

    private static BenchReport.LiveStep step(int rate, boolean kept) {
        Latencies any = new Latencies(LivePhase.INCIDENTS_PER_STEP, 100, 200, 210);
        return new BenchReport.LiveStep(rate, rate, rate, 0, 0.1, LivePhase.INCIDENTS_PER_STEP, any, any, kept);
    }

    @Test
    void theCommandLineTakesThePublisherAndTheLiveSteps() {
        BenchCommand command = new BenchCommand();
        new picocli.CommandLine(command).parseArgs("--quick", "--publisher", "process", "--live", "2000,5000");
        BenchSettings settings = command.settings();
        assertThat(settings.publisher()).isEqualTo(BenchSettings.Publisher.PROCESS);
        assertThat(settings.liveRates()).containsExactly(2_000, 5_000);
        assertThat(settings.keys()).isEqualTo(BenchSettings.QUICK.keys());
        assertThat(BenchRun.revokeMaxPerWindow(settings)).isEqualTo((50 + 2 * LivePhase.INCIDENTS_PER_STEP) * 2 + 100);

        BenchCommand defaults = new BenchCommand();
        new picocli.CommandLine(defaults).parseArgs();
        assertThat(defaults.settings().publisher()).isEqualTo(BenchSettings.Publisher.IN_PROCESS);
        assertThat(defaults.settings().liveRates()).isEmpty();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new picocli.CommandLine(new BenchCommand())
                .parseArgs("--publisher", "elsewhere")).hasMessageContaining("in-process or process");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BenchSettings.QUICK.withLiveRates(List.of(0)))
                .hasMessageContaining("live rate must be positive");
    }
}
