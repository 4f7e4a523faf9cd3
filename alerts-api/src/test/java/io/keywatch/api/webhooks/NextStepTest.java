package io.keywatch.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NextStepTest {

    private static final Instant NOW = Instant.parse("2026-11-27T19:00:00Z");
    private static final RetrySchedule SCHEDULE = RetrySchedule.parse("5s,5m").withJitter(0);
    private static final ProbeSchedule PROBES = ProbeSchedule.DEFAULT.withJitter(0);

    private static AttemptResult result(AttemptResult.Outcome outcome, Integer status, Duration retryAfter) {
        return new AttemptResult(outcome, NOW, status, 12, status == null ? "connection refused" : null, retryAfter,
                null);
    }

    @Test
    void a2xxIsDelivered() {
        NextStep step = NextStep.after(1, result(AttemptResult.Outcome.DELIVERED, 204, null), SCHEDULE, PROBES, NOW,
                new Random(1));

        assertThat(step.kind()).isEqualTo(NextStep.Kind.DELIVERED);
        assertThat(step.nextAttemptAt()).isNull();
    }

    @Test
    void aFailureIsRetriedOnScheduleUntilTheScheduleIsUsedUp() {
        AttemptResult failed = result(AttemptResult.Outcome.RETRY, 503, null);

        NextStep first = NextStep.after(1, failed, SCHEDULE, PROBES, NOW, new Random(1));
        NextStep second = NextStep.after(2, failed, SCHEDULE, PROBES, NOW, new Random(1));
        NextStep third = NextStep.after(3, failed, SCHEDULE, PROBES, NOW, new Random(1));

        assertThat(first.kind()).isEqualTo(NextStep.Kind.RETRY);
        assertThat(first.nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
        assertThat(first.reason()).isEqualTo("attempt 1 of 3 failed: RETRY (HTTP 503, 12 ms)");
        assertThat(second.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(third.kind()).as("kept for the probes, not given up").isEqualTo(NextStep.Kind.ENDPOINT_FAILING);
        assertThat(third.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(third.reason()).startsWith("retry schedule used up after 3 attempts; endpoint failing");
    }

    @Test
    void aReceiversLongerRetryAfterMovesTheNextAttempt() {
        NextStep step = NextStep.after(1, result(AttemptResult.Outcome.RETRY, 429, Duration.ofMinutes(1)),
                SCHEDULE, PROBES, NOW, new Random(1));

        assertThat(step.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
    }

    @Test
    void goneDisablesTheEndpointWhateverTheSchedule() {
        NextStep step = NextStep.after(1, result(AttemptResult.Outcome.GONE, 410, null), SCHEDULE, PROBES, NOW,
                new Random(1));

        assertThat(step.kind()).isEqualTo(NextStep.Kind.ENDPOINT_GONE);
    }

    @Test
    void aFailedProbeSchedulesTheNextOneWithCappedDoublingAndADeliveredOneEndsTheEpisode() {
        AttemptResult failed = result(AttemptResult.Outcome.RETRY, 503, null);

        NextStep first = NextStep.afterProbe(1, failed, PROBES, NOW, new Random(1));
        NextStep sixth = NextStep.afterProbe(6, failed, PROBES, NOW, new Random(1));
        NextStep late = NextStep.afterProbe(10_000, failed, PROBES, NOW, new Random(1));
        NextStep delivered = NextStep.afterProbe(7, result(AttemptResult.Outcome.DELIVERED, 200, null), PROBES, NOW,
                new Random(1));

        assertThat(first.kind()).isEqualTo(NextStep.Kind.ENDPOINT_FAILING);
        assertThat(first.nextAttemptAt()).as("probe 2 waits 2 min").isEqualTo(NOW.plus(Duration.ofMinutes(2)));
        assertThat(sixth.nextAttemptAt()).as("64 min, capped at 1 h").isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(late.nextAttemptAt()).as("no overflow").isEqualTo(NOW.plus(Duration.ofHours(1)));
        assertThat(delivered.kind()).isEqualTo(NextStep.Kind.DELIVERED);
    }

    @Test
    void probeJitterStaysWithinItsFraction() {
        ProbeSchedule probes = new ProbeSchedule(Duration.ofMinutes(1), Duration.ofHours(1), 0.2);
        Random random = new Random(7);
        for (int i = 0; i < 1_000; i++) {
            assertThat(probes.delayBefore(1, random)).isBetween(Duration.ofSeconds(48), Duration.ofSeconds(72));
        }
    }

    @Test
    void statusCodesMapToOutcomesAsTheSpecSuggests() {
        assertThat(AttemptResult.outcomeOf(200)).isEqualTo(AttemptResult.Outcome.DELIVERED);
        assertThat(AttemptResult.outcomeOf(299)).isEqualTo(AttemptResult.Outcome.DELIVERED);
        assertThat(AttemptResult.outcomeOf(301)).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(AttemptResult.outcomeOf(404)).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(AttemptResult.outcomeOf(410)).isEqualTo(AttemptResult.Outcome.GONE);
        assertThat(AttemptResult.outcomeOf(429)).isEqualTo(AttemptResult.Outcome.RETRY);
        assertThat(AttemptResult.outcomeOf(500)).isEqualTo(AttemptResult.Outcome.RETRY);
    }
}
