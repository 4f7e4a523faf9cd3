package io.keywatch.streams.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VolumeBaselineTest {

    private static final long MINUTE = 60_000L;

    @Test
    void theFirstCompletedMinuteSeedsTheAverage() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(0).advanceTo(MINUTE, 40, 0.1);

        assertThat(baseline.mean()).isEqualTo(40.0);
        assertThat(baseline.deviation()).isZero();
        assertThat(baseline.observedMinutes()).isEqualTo(1);
        assertThat(baseline.currentMinuteStart()).isEqualTo(MINUTE);
    }

    @Test
    void averagesAYoungKeysMinutesPlainly() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(0)
                .advanceTo(MINUTE, 40, 0.1)
                .advanceTo(2 * MINUTE, 140, 0.1);

        // two minutes: their plain mean, not 90 % of the first (a partial first minute must not anchor the key)
        assertThat(baseline.mean()).isCloseTo(90.0, within(1e-9));
        assertThat(baseline.deviation()).isCloseTo(50.0, within(1e-9));
        assertThat(baseline.observedMinutes()).isEqualTo(2);
        assertThat(baseline.settled(0.1)).isFalse();
    }

    @Test
    void movesTowardsNewMinutesByTheSmoothingWeightOnceSettled() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(0);
        for (int m = 1; m <= 10; m++) {
            baseline = baseline.advanceTo(m * MINUTE, 40, 0.1);
        }
        assertThat(baseline.settled(0.1)).isTrue();

        baseline = baseline.advanceTo(11 * MINUTE, 140, 0.1);

        assertThat(baseline.mean()).isCloseTo(50.0, within(1e-9));
        assertThat(baseline.deviation()).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void foldsQuietMinutesAsZeros() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(0).advanceTo(4 * MINUTE, 100, 0.5);

        // minute 0 = 100, minutes 1..3 quiet
        assertThat(baseline.mean()).isCloseTo(12.5, within(1e-9));
        assertThat(baseline.observedMinutes()).isEqualTo(4);
        assertThat(baseline.currentMinuteStart()).isEqualTo(4 * MINUTE);
    }

    @Test
    void boundsTheWorkForVeryLongGaps() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(0).advanceTo(365L * 24 * 60 * MINUTE, 1000, 0.1);

        assertThat(baseline.mean()).isLessThan(1e-6);
        assertThat(baseline.observedMinutes()).isEqualTo(365 * 24 * 60);
    }

    @Test
    void ignoresMinutesThatAreNotNewer() {
        VolumeBaseline baseline = VolumeBaseline.startingAt(5 * MINUTE);

        assertThat(baseline.advanceTo(5 * MINUTE, 10, 0.1)).isSameAs(baseline);
        assertThat(baseline.advanceTo(MINUTE, 10, 0.1)).isSameAs(baseline);
    }
}
