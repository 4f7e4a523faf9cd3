package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlineTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void eachStepGetsWhatTheStepsBeforeItLeft() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(30), nanos::get);
        assertThat(deadline.remainingMs()).isEqualTo(30_000);
        nanos.addAndGet(Duration.ofSeconds(12).toNanos()); // listing and creating the topics took 12 s
        assertThat(deadline.remainingMs()).as("the leaders' wait gets the rest, not a fresh 30 s").isEqualTo(18_000);
        assertThat(deadline.within(Duration.ofMillis(100))).isFalse();
        assertThat(deadline.total()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aSpentDeadlineLeavesOneLastMillisecondAndSaysSo() {
        Deadline deadline = Deadline.after(Duration.ofSeconds(2), nanos::get);
        nanos.addAndGet(Duration.ofMillis(1_950).toNanos());
        assertThat(deadline.within(Duration.ofMillis(100))).isTrue();
        nanos.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(deadline.remainingMs()).isEqualTo(1);
        assertThat(deadline.within(Duration.ZERO)).isTrue();
    }
}
