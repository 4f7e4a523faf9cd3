package io.keywatch.streams;

import static io.keywatch.streams.TopologyFixture.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.events.AlertRule;
import io.keywatch.events.RejectCode;
import io.keywatch.events.Severity;
import io.keywatch.streams.errors.DeadLetterCounts;
import io.keywatch.streams.metrics.MicrometerTopologyMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The topology's metrics: counted by the right amounts, and nothing an event says becomes a series or a wild lag. */
class TopologyMetricsTest {

    @RegisterExtension
    final TopologyFixture fixture = new TopologyFixture();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DeadLetterCounts handlerCounts = new DeadLetterCounts();

    @BeforeEach
    void countIntoRegistry() {
        fixture.restart(Map.of(), new MicrometerTopologyMetrics(registry, handlerCounts, new AtomicLong()));
    }

    @Test
    void countsEventsDeadLettersAndAlertsWithoutAddingASeriesPerKey() {
        int series = registry.getMeters().size();

        // 1,000 made-up key ids: each an UNKNOWN_KEY alert, none a series
        for (int i = 0; i < 1_000; i++) {
            fixture.send(fixture.event("made-up-" + i, T0.minusSeconds(1)));
        }
        for (int i = 0; i < 7; i++) {
            fixture.usageEvents.pipeInput("k", ("{not json " + i).getBytes(StandardCharsets.UTF_8), T0);
        }
        handlerCounts.increment(RejectCode.PROCESSING_ERROR);

        assertThat(registry.getMeters()).hasSize(series);
        assertThat(registry.getMeters()).allSatisfy(meter -> assertThat(meter.getId().getTags())
                .noneMatch(tag -> tag.getValue().contains("made-up")));
        assertThat(registry.get("keywatch.events.processed").counter().count()).isEqualTo(1_007);
        assertThat(registry.get("keywatch.events.dead.lettered").tag("reason", "invalid-json").functionCounter()
                .count()).isEqualTo(7);
        assertThat(registry.get("keywatch.events.dead.lettered").tag("reason", "processing-error")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("keywatch.alerts.emitted").tag("rule", AlertRule.UNKNOWN_KEY.name())
                .tag("severity", Severity.LOW.name()).counter().count()).isEqualTo(1_000);
        Timer lag = registry.get("keywatch.detection.lag").timer();
        assertThat(lag.count()).isEqualTo(1_000);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    }

    @Test
    void aHygieneScanFindingIsCountedWithoutADetectionLag() {
        fixture.register("soon", Registry.entry().expiresAt(T0.plus(Duration.ofDays(10))).build(), T0);
        // the scan runs with the first event (stream time); the event's key is registered, so it raises nothing
        fixture.send(fixture.event("soon", T0));

        assertThat(registry.get("keywatch.alerts.emitted").tag("rule", AlertRule.KEY_EXPIRING.name())
                .tag("severity", Severity.MEDIUM.name()).counter().count()).isEqualTo(1);
        assertThat(registry.get("keywatch.detection.lag").timer().count()).isZero();
        assertThat(registry.get("keywatch.detection.lag.out.of.range").counters())
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void forgedEventTimesNeitherGoNegativeNorBeyondADay() {
        // long before: clamped to a day, and counted apart
        fixture.send(fixture.event("from-the-past", T0.minus(Duration.ofDays(40))));
        // within the accepted clock skew, but after the detection: a negative lag, counted apart
        fixture.send(fixture.event("from-the-future", T0.plusSeconds(30)));

        Timer lag = registry.get("keywatch.detection.lag").timer();
        assertThat(lag.count()).isEqualTo(1);
        assertThat(lag.max(TimeUnit.MILLISECONDS)).isEqualTo(MicrometerTopologyMetrics.MAX_LAG.toMillis());
        assertThat(registry.get("keywatch.detection.lag.out.of.range").tag("bound", "future").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("keywatch.detection.lag.out.of.range").tag("bound", "past").counter().count())
                .isEqualTo(1);
        assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id ->
                assertThat(id.getTags()).noneMatch(tag -> tag.getValue().contains("from-the")));
    }
}
