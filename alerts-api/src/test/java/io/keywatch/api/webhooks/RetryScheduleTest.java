package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    /** A "random" source that always answers the middle: no jitter. */
    private static final RandomGenerator MIDDLE = () -> 0L;

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                return 0;
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }

    @Test
    void theDefaultFollowsTheStandardWebhooksExampleSchedule() {
        assertThat(RetrySchedule.DEFAULT.delays()).containsExactly(
                Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
                Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(14), Duration.ofHours(20),
                Duration.ofHours(24));
        assertThat(RetrySchedule.DEFAULT.maxAttempts()).isEqualTo(10);
        assertThat(RetrySchedule.DEFAULT.jitter()).isEqualTo(0.2);
        assertThat(RetrySchedule.DEFAULT.spec()).isEqualTo("5s,5m,30m,2h,5h,10h,14h,20h,24h");
    }

    @Test
    void parsesEveryUnitAndToleratesSpacesAndCase() {
        RetrySchedule schedule = RetrySchedule.parse(" 250ms, 5S ,2m,1h, 2d ");

        assertThat(schedule.delays()).containsExactly(Duration.ofMillis(250), Duration.ofSeconds(5),
                Duration.ofMinutes(2), Duration.ofHours(1), Duration.ofDays(2));
        assertThat(RetrySchedule.parse(schedule.spec())).isEqualTo(schedule);
    }

    @Test
    void refusesBadSchedulesNamingTheEntry() {
        assertThatThrownBy(() -> RetrySchedule.parse("5s,5x,30m"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retry schedule entry 2 '5x' is not a delay");
        assertThatThrownBy(() -> RetrySchedule.parse("5s,,30m")).hasMessageContaining("entry 2 ''");
        assertThatThrownBy(() -> RetrySchedule.parse("-5s")).hasMessageContaining("entry 1 '-5s'");
        assertThatThrownBy(() -> RetrySchedule.parse("0s")).hasMessageContaining("longer than zero");
        assertThatThrownBy(() -> RetrySchedule.parse("1.5h")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> RetrySchedule.parse(" ")).hasMessageContaining("at least one delay");
        assertThatThrownBy(() -> RetrySchedule.DEFAULT.withJitter(1.0)).hasMessageContaining("jitter");
    }

    @Test
    void waitsTheScheduledDelayAfterEachFailedAttemptThenGivesUp() {
        RetrySchedule schedule = RetrySchedule.parse("5s,5m,30m").withJitter(0);

        assertThat(schedule.delayAfter(1, Optional.empty(), MIDDLE)).contains(Duration.ofSeconds(5));
        assertThat(schedule.delayAfter(2, Optional.empty(), MIDDLE)).contains(Duration.ofMinutes(5));
        assertThat(schedule.delayAfter(3, Optional.empty(), MIDDLE)).contains(Duration.ofMinutes(30));
        assertThat(schedule.delayAfter(4, Optional.empty(), MIDDLE)).isEmpty();
        assertThat(schedule.maxAttempts()).isEqualTo(4);
        assertThatThrownBy(() -> schedule.delayAfter(0, Optional.empty(), MIDDLE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jitterStaysWithinPlusMinusTwentyPercentAndSpreadsOut() {
        RetrySchedule schedule = RetrySchedule.DEFAULT;
        Random random = new Random(42);
        Duration min = Duration.ofDays(1);
        Duration max = Duration.ZERO;
        for (int i = 0; i < 2000; i++) {
            Duration d = schedule.delayAfter(2, Optional.empty(), random).orElseThrow();
            min = d.compareTo(min) < 0 ? d : min;
            max = d.compareTo(max) > 0 ? d : max;
        }
        assertThat(min).isBetween(Duration.ofMinutes(4), Duration.ofSeconds(250));
        assertThat(max).isBetween(Duration.ofSeconds(350), Duration.ofMinutes(6));
        assertThat(schedule.delayAfter(2, Optional.empty(), fixed(0.0))).contains(Duration.ofMinutes(4));
        assertThat(schedule.delayAfter(2, Optional.empty(), fixed(0.5))).contains(Duration.ofMinutes(5));
    }

    @Test
    void aLongerRetryAfterWinsOverTheSchedule() {
        RetrySchedule schedule = RetrySchedule.DEFAULT.withJitter(0);

        assertThat(schedule.delayAfter(1, Optional.of(Duration.ofMinutes(2)), MIDDLE)).contains(Duration.ofMinutes(2));
    }

    @Test
    void aShorterRetryAfterDoesNotShortenTheSchedule() {
        RetrySchedule schedule = RetrySchedule.DEFAULT.withJitter(0);

        assertThat(schedule.delayAfter(3, Optional.of(Duration.ofSeconds(1)), MIDDLE))
                .contains(Duration.ofMinutes(30));
    }

    @Test
    void retryAfterIsCappedAtADay() {
        RetrySchedule schedule = RetrySchedule.DEFAULT.withJitter(0);

        assertThat(schedule.delayAfter(1, Optional.of(Duration.ofDays(30)), MIDDLE)).contains(Duration.ofHours(24));
        assertThat(schedule.withRetryAfterCap(Duration.ofHours(1))
                .delayAfter(1, Optional.of(Duration.ofDays(30)), MIDDLE)).contains(Duration.ofHours(1));
    }

    @Test
    void retryAfterCannotExtendTheScheduleBeyondItsLastAttempt() {
        RetrySchedule schedule = RetrySchedule.parse("5s").withJitter(0);

        assertThat(schedule.delayAfter(2, Optional.of(Duration.ofMinutes(1)), MIDDLE)).isEmpty();
    }

    @Test
    void nextAttemptAtCountsFromNow() {
        Instant now = Instant.parse("2026-11-27T19:00:00Z");

        assertThat(RetrySchedule.DEFAULT.withJitter(0).nextAttemptAt(1, now, Optional.empty(), MIDDLE))
                .contains(Instant.parse("2026-11-27T19:00:05Z"));
        assertThat(RetrySchedule.DEFAULT.nextAttemptAt(9, now, Optional.empty(), MIDDLE)).isNotEmpty();
        assertThat(RetrySchedule.DEFAULT.nextAttemptAt(10, now, Optional.empty(), MIDDLE)).isEmpty();
    }

    @Test
    void theListOfDelaysIsImmutable() {
        RetrySchedule schedule = RetrySchedule.parse("5s");
        List<Duration> delays = schedule.delays();

        assertThatThrownBy(() -> delays.add(Duration.ZERO)).isInstanceOf(UnsupportedOperationException.class);
    }
}
