package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keywatch.tools.bench.LatencyRecorder.Latencies;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
                new BenchReport.Api(50_000, 2.5, 16, 5.0, 10_000, 0, 2_000, new Latencies(10_000, 4.5, 12.0, 30.0)),
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
                .contains("2,000 requests/s")
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
        assertThat(json.path("api").path("requestsPerSecond").asDouble()).isEqualTo(2_000);
        assertThat(json.path("footprint").path("heapUsedMiB").asDouble()).isEqualTo(512);
        assertThat(json.path("setup").path("settings").path("keys").asInt()).isEqualTo(10_000);
        // Durations are written in seconds
        assertThat(json.path("setup").path("settings").path("apiDuration").asDouble()).isEqualTo(5.0);
    }
}
