package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keywatch.api.ApiSettings;
import io.keywatch.api.support.RunningApi;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.embedded.EmbeddedKafkaBroker;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A critical alert behind a hygiene burst, on real Kafka and PostgreSQL: 5,000 LOW KEY_UNUSED alerts then one
 * CRITICAL, committed to the alert topic in one Kafka transaction (as the topology's exactly-once commit publishes a
 * burst). The key's revocation must be committed before the burst is: measured by the order of the commits in the
 * database (the transaction ids of the rows; the consumer's transactions run one after another), not by a clock.
 */
@ExtendWith(SharedInfra.class)
class AlertPriorityTest {

    private static final int BURST = 5_000;

    private static RunningApi stack;
    private static ApiSettings settings;
    private static Jdbi jdbi;

    @BeforeAll
    static void startService(EmbeddedPostgresServer postgres, EmbeddedKafkaBroker broker) {
        stack = RunningApi.start(postgres, broker);
        settings = stack.settings();
        jdbi = Jdbi.create(stack.dataSource());
    }

    @AfterAll
    static void stopService() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aCriticalAlertBehindABurstIsStoredAndItsKeyRevokedBeforeTheBurst() {
        Instant now = Instant.now();
        List<Alert> poll = new ArrayList<>(BURST + 1);
        for (int i = 0; i < BURST; i++) {
            poll.add(TestAlerts.alert("burst-" + i, "burst-key-" + i, AlertRule.KEY_UNUSED, Severity.LOW, now));
        }
        poll.add(TestAlerts.alert("critical-1", "leaked-key", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, now));

        stack.kafka().publishAtomically(settings.topics().alerts(), 0, poll);

        await().atMost(Duration.ofSeconds(120)).until(() -> count(
                "SELECT count(*) FROM alert_occurrences WHERE id LIKE 'burst-%'") == BURST
                && count("SELECT count(*) FROM keys WHERE key_id = 'leaked-key' AND status = 'REVOKED'") == 1);
        long decision = count("SELECT xmin::text::bigint FROM revocation_decisions WHERE key_id = 'leaked-key'");
        long burstBeforeDecision = count("SELECT count(*) FROM alert_occurrences "
                + "WHERE id LIKE 'burst-%' AND xmin::text::bigint < " + decision);
        assertThat(burstBeforeDecision)
                .as("hygiene alerts committed before the critical alert's revocation")
                .isZero();
        assertThat(count("SELECT xmin::text::bigint FROM alert_occurrences WHERE id = 'critical-1'"))
                .as("the critical alert is stored before the burst")
                .isLessThan(count("SELECT min(xmin::text::bigint) FROM alert_occurrences WHERE id LIKE 'burst-%'"));
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
