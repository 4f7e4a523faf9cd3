package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs the whole bench at toy sizes on the real embedded stack and checks that every section was measured. Never
 * compares timings with targets: this machine is shared and numbers are noise at this size.
 */
class BenchSmokeTest {

    @Test
    void aTinyRunMeasuresEverySection() throws Exception {
        // the background from a child JVM: the riskier path (class path, start, result); PublisherProcessTest covers both
        BenchSettings tiny = new BenchSettings(2_000, 20_000, 2_000, 5, 2_000, Duration.ofSeconds(2), 4)
                .withPublisher(BenchSettings.Publisher.PROCESS);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        BenchReport report = new BenchRun(tiny, new PrintStream(progress, true, StandardCharsets.UTF_8)).run();

        assertThat(report.setup().registeredKeys()).isEqualTo(2_005);
        assertThat(report.throughput().events()).isEqualTo(20_000);
        assertThat(report.throughput().keywatchEventsPerSecond()).isPositive();
        assertThat(report.throughput().baselineEventsPerSecond()).isPositive();
        assertThat(report.throughput().ratio()).isPositive();

        assertThat(report.detection().achievedRate()).isPositive();
        assertThat(report.detection().latency().samples()).isEqualTo(5);
        assertThat(report.detection().latency().p50Ms()).isPositive();
        assertThat(report.detection().alertTopicLatency().samples()).isEqualTo(5);
        // the pass-through's probes, one every 25 ms of its ~6 s of background, all arrive through the forwarding topology
        assertThat(report.passThrough().latency().samples()).isGreaterThan(100);
        assertThat(report.passThrough().latency().p50Ms()).isPositive();
        assertThat(report.passThrough().topicP99Ratio()).isPositive();
        assertThat(report.revocation().webhook().samples()).isEqualTo(5);
        assertThat(report.revocation().webhook().p99Ms()).isPositive();
        assertThat(report.revocation().keyStatusCache().samples()).isEqualTo(5);
        assertThat(report.revocation().keyStatusCache().p99Ms()).isPositive();

        assertThat(report.api().alerts()).isEqualTo(2_000);
        assertThat(report.api().loadGenerator()).contains("child JVM");
        assertThat(report.api().tokenRole()).isEqualTo("viewer");
        for (BenchReport.ApiRun run : List.of(report.api().list(), report.api().sameBytes(), report.api().summaryList(),
                report.api().summarySameBytes())) {
            assertThat(run.requests()).as(run.path()).isPositive();
            assertThat(run.errors()).as(run.path()).isZero();
            assertThat(run.latency().p50Ms()).as(run.path()).isPositive();
            assertThat(run.meanBodyBytes()).as(run.path()).isGreaterThan(1_000);
        }
        assertThat(report.api().sameBytes().path()).isEqualTo(SameBytesRoute.PATH);
        assertThat(report.api().listToSameBytesThroughput()).isPositive();
        assertThat(report.api().summaryList().path()).isEqualTo("/api/v1/alerts?view=summary");
        assertThat(report.api().summaryListToSameBytesThroughput()).isPositive();
        assertThat(report.api().summaryList().meanBodyBytes()).isLessThan(report.api().list().meanBodyBytes());

        assertThat(report.footprint().heapUsedMiB()).isPositive();
        assertThat(report.footprint().rssMiB()).isPositive();
        assertThat(report.footprint().stateBytesPerKey()).isPositive();

        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("throughput:", "detection:", "pass-through:", "api:",
                "a child JVM publishes", "same clients on a page of it");
        StringWriter table = new StringWriter();
        new BenchReporter().printTable(report, new PrintWriter(table));
        assertThat(table.toString()).contains("events/s", "ms", "MiB", "requests/s", "same bytes from memory");
    }
}
