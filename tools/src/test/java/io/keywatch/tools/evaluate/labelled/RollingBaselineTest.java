package io.keywatch.tools.evaluate.labelled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.keywatch.events.Severity;
import io.keywatch.tools.backtest.CountSeries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.Test;

class RollingBaselineTest {

    private static final Instant T0 = Instant.parse("2015-03-01T00:00:00Z");
    private static final long FIVE_MINUTES = 300_000;

    /** {@code hours} hours of 5-minute rows, the i-th holding {@code count(i)} requests. */
    private static LabelledSeries series(boolean heldOut, int hours, IntToLongFunction count, List<Window> windows) {
        List<CountSeries.Row> rows = new ArrayList<>();
        for (int i = 0; i < hours * 12; i++) {
            rows.add(new CountSeries.Row(T0.plusMillis(i * FIVE_MINUTES), FIVE_MINUTES, count.applyAsLong(i)));
        }
        return new LabelledSeries(heldOut ? "held.csv" : "tune.csv", heldOut, 1,
                CountSeries.of("nab_t", "nab", rows), windows);
    }

    /** Noise of 100 +- 10 per 5 minutes, a burst of three rows at 10,000 at hour 30. */
    private static long noisyWithBurst(int i) {
        if (i >= 30 * 12 && i < 30 * 12 + 3) {
            return 10_000;
        }
        return 100 + (i * 7919L) % 21 - 10;
    }

    @Test
    void aBurstAboveTheRollingMeanPlusZDeviationsIsOneAlertAtTheEndOfItsFirstInterval() {
        Window burst = new Window(T0.plus(Duration.ofHours(29)), T0.plus(Duration.ofHours(31)));
        LabelledSeries series = series(false, 48, RollingBaselineTest::noisyWithBurst, List.of(burst));

        List<Raised> alerts = new RollingBaseline(4, 24, 100).alerts(series);

        assertThat(alerts).hasSize(1);
        assertThat(alerts.get(0).at()).isEqualTo(T0.plus(Duration.ofHours(30)).plusMillis(FIVE_MINUTES));
        // 10,000 in 5 minutes is 2,000 a minute: above keywatch's paging floor
        assertThat(alerts.get(0).severity()).isEqualTo(Severity.HIGH);
        WindowScore score = new RollingBaseline(4, 24, 100).score(series, new WindowScoring(Duration.ZERO));
        assertThat(score.detected()).isEqualTo(1);
        assertThat(score.falseAlerts()).isZero();
    }

    @Test
    void itIsSilentDuringItsWarmUpAndItsSeverityFollowsThePagingFloor() {
        LabelledSeries early = series(false, 48, i -> i < 12 ? 100 : i == 20 ? 10_000 : 100, List.of());
        LabelledSeries small = series(false, 48, i -> i == 30 * 12 ? 300 : 100 + (i % 3), List.of());

        assertThat(new RollingBaseline(4, 24, 100).alerts(early)).as("inside the first 24 h").isEmpty();
        // 300 in five minutes is 60 a minute: below a floor of 100
        assertThat(new RollingBaseline(4, 24, 100).alerts(small)).extracting(Raised::severity)
                .containsExactly(Severity.MEDIUM);
    }

    @Test
    void itIsTunedOnTheSeriesItIsGivenBestFirst() {
        Window burst = new Window(T0.plus(Duration.ofHours(29)), T0.plus(Duration.ofHours(31)));
        LabelledSeries tuning = series(false, 96, RollingBaselineTest::noisyWithBurst, List.of(burst));

        List<RollingBaseline.Trial> trials =
                RollingBaseline.tune(List.of(tuning), new WindowScoring(Duration.ZERO), 100);

        assertThat(trials).hasSize(RollingBaseline.Z_GRID.length * RollingBaseline.HOURS_GRID.length);
        assertThat(trials.get(0).score().detected()).isEqualTo(1);
        assertThat(trials).extracting(RollingBaseline.Trial::value).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThatThrownBy(() -> new RollingBaseline(0, 24, 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
