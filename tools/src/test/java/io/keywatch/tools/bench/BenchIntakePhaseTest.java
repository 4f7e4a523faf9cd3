package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --intake} measures what it says on a tiny poll: every run stored, the critical alert's revocation
 * committed (measured, not NaN) within the poll's time. No timing is compared with a target.
 */
class BenchIntakePhaseTest {

    @Test
    void measuresEveryRunAndTheCriticalAlertsRevocation() {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        IntakePhase.Result result = new IntakePhase(new Progress(new PrintStream(progress, true,
                StandardCharsets.UTF_8))).run(40, 3);

        assertThat(result.runs()).hasSize(3).allSatisfy(run -> {
            assertThat(run.alerts()).isEqualTo(41);
            assertThat(run.seconds()).isPositive();
            assertThat(run.criticalSeconds()).isPositive().isLessThanOrEqualTo(run.seconds());
        });
        assertThat(result.medianAlertsPerSecond()).isPositive();
        assertThat(progress.toString(StandardCharsets.UTF_8)).contains("intake: run 3");
    }
}
