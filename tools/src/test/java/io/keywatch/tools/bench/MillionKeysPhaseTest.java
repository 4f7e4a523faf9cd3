package io.keywatch.tools.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.keywatch.streams.KeywatchTopology;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The million-key phase at 4,000 keys (a CI-sized run; the hygiene scan still walks the registry in steps), on the real embedded Kafka with the topology in a child JVM: every per-key
 * store is filled, the topology comes back from its changelogs after losing its local state and detects again, and
 * the hygiene pass raises exactly the expected alerts once per day. Asserts behaviour, never timing.
 */
@Tag("long") // about a minute (a broker and two topology JVMs): outside `mvn verify`, see tools/pom.xml
class MillionKeysPhaseTest {

    @Test
    void fourThousandKeysFillRestoreAndGetTheirHygienePassOncePerDay() throws Exception {
        // progress into the test's output file (surefire keeps it): the figures of this run, for whoever reads it
        MillionKeysReport report = new MillionKeysPhase(4_000, 384, new Progress(System.err)).run();

        assertThat(report.fillEvents()).isEqualTo(4_000);
        assertThat(report.fillEventsPerSecond()).isPositive();
        assertThat(report.afterFill().heapAfterGcMiB()).isPositive().isLessThan(384);
        assertThat(report.storesMiB()).containsKeys(KeywatchTopology.KEY_STATES_STORE, KeywatchTopology.PROFILE_STORE,
                KeywatchTopology.SCOPE_USAGE_STORE, KeywatchTopology.USAGE_STORE);
        assertThat(report.storesMiB().values()).allSatisfy(mib -> assertThat(mib).isPositive());
        assertThat(report.restoreSeconds()).isPositive();
        assertThat(report.detectingSeconds()).isGreaterThanOrEqualTo(report.restoreSeconds());

        assertThat(report.hygieneComplete()).isTrue();
        assertThat(report.hygieneExpected()).containsEntry("KEY_ROTATION_DUE", 500)
                .containsEntry("KEY_EXPIRING", 500).containsEntry("KEY_UNUSED", 500)
                .containsEntry("KEY_OVERPRIVILEGED", 500);
        assertThat(report.hygieneRaised()).isEqualTo(report.hygieneExpected());
        assertThat(report.secondPassRaised()).isZero();
        assertThat(report.rebalancesAfterRunning()).isZero();

        StringWriter table = new StringWriter();
        new MillionKeysReporter().printTable(report, new PrintWriter(table));
        assertThat(table.toString()).contains("events/s", "MiB", "RUNNING", "KEY_UNUSED 500");
    }
}
