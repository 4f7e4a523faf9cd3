package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchLatencyRecorderTest {

    @Test
    void percentilesUseTheNearestRank() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 100; i >= 1; i--) {
            recorder.record(i * 1_000_000L); // 1 ms .. 100 ms, out of order
        }
        assertThat(recorder.count()).isEqualTo(100);
        assertThat(recorder.percentileNanos(50)).isEqualTo(50_000_000L);
        assertThat(recorder.percentileNanos(99)).isEqualTo(99_000_000L);
        assertThat(recorder.percentileNanos(100)).isEqualTo(100_000_000L);
        assertThat(recorder.maxNanos()).isEqualTo(100_000_000L);
        assertThat(recorder.summary()).isEqualTo(new LatencyRecorder.Latencies(100, 50.0, 99.0, 100.0));
    }

    @Test
    void aSingleSampleIsEveryPercentile() {
        LatencyRecorder recorder = new LatencyRecorder();
        recorder.record(7_500_000L);
        assertThat(recorder.summary()).isEqualTo(new LatencyRecorder.Latencies(1, 7.5, 7.5, 7.5));
    }

    @Test
    void withoutSamplesEveryPercentileIsMinusOne() {
        assertThat(new LatencyRecorder().summary()).isEqualTo(new LatencyRecorder.Latencies(0, -1, -1, -1));
    }

    @Test
    void growsPastItsInitialCapacity() {
        LatencyRecorder recorder = new LatencyRecorder();
        for (int i = 0; i < 5_000; i++) {
            recorder.record(i);
        }
        assertThat(recorder.count()).isEqualTo(5_000);
        assertThat(recorder.percentileNanos(50)).isEqualTo(2_499);
    }

    @Test
    void rejectsNegativeLatenciesAndPercentilesOutOfRange() {
        LatencyRecorder recorder = new LatencyRecorder();
        assertThatThrownBy(() -> recorder.record(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.percentileNanos(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> recorder.percentileNanos(100.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
