package io.keywatch.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.api.revocation.AuditingKeyChanges;
import io.keywatch.api.revocation.RevocationEngine;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.api.webhooks.RelaySignal;
import io.keywatch.api.webhooks.WebhookEvents;
import io.keywatch.api.webhooks.WebhookOutbox;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Set-based intake: the statements a batch costs (round trips to PostgreSQL, a JDBC batch counting once) do not
 * grow with the batch. Counted with a Jdbi {@link SqlLogger}; the timings are logged for the record, never asserted
 * (the bench measures performance).
 */
@ExtendWith(SharedInfra.class)
class IntakeStatementCountTest {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeStatementCountTest.class);
    private static final AtomicInteger STATEMENTS = new AtomicInteger();

    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static AlertIntake intake;

    @BeforeAll
    static void setUp(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        jdbi.setSqlLogger(new SqlLogger() {
            @Override
            public void logAfterExecution(StatementContext context) {
                STATEMENTS.incrementAndGet();
            }
        });
        Clock clock = Clock.systemUTC();
        WebhookOutbox outbox = new WebhookOutbox(WebhookEvents.create(), new RelaySignal(), clock);
        AlertStore alerts = new AlertStore(jdbi, json, clock, outbox.alertListener());
        KeyStore keys = new KeyStore(jdbi, json);
        KeyRevoker revoker = new KeyRevoker(keys, state -> { }, clock, new AuditingKeyChanges(outbox));
        RevocationEngine engine = new RevocationEngine(jdbi, new RevocationPolicy(Severity.CRITICAL, revoker),
                RevocationSettings.DEFAULTS, alerts, outbox, revoker, clock);
        intake = new AlertIntake(alerts, engine);
    }

    @AfterAll
    static void tearDown() {
        dataSource.close();
    }

    /** A hygiene pass: LOW alerts, one per key, half of them folding into an alert opened by the first half. */
    private static List<Alert> hygieneBurst(String prefix, int size) {
        Instant now = Instant.now();
        List<Alert> batch = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            batch.add(TestAlerts.alert(prefix + "-" + i, prefix + "-key-" + (i % (size / 2)),
                    AlertRule.KEY_UNUSED, Severity.LOW, now.plusMillis(i)));
        }
        return batch;
    }

    private static int statementsFor(List<Alert> batch) {
        STATEMENTS.set(0);
        long started = System.nanoTime();
        intake.handle(batch);
        long micros = (System.nanoTime() - started) / 1_000;
        int statements = STATEMENTS.get();
        LOG.info("intake of {} alerts: {} statements ({} per alert), {} ms, {} alerts/s", batch.size(), statements,
                String.format("%.2f", statements / (double) batch.size()), micros / 1_000,
                micros == 0 ? "-" : batch.size() * 1_000_000L / micros);
        return statements;
    }

    @Test
    void aBatchCostsBoundedStatementsWhateverItsSize() {
        int small = statementsFor(hygieneBurst("s", 100));
        int thousand = statementsFor(hygieneBurst("m", 1_000));
        int large = statementsFor(hygieneBurst("l", 5_000));
        // a replay of the large batch: stored before, nothing changes, and still bounded
        int replay = statementsFor(hygieneBurst("l", 5_000));

        assertThat(count("SELECT count(*) FROM alert_occurrences WHERE id LIKE 'l-%'")).isEqualTo(5_000);
        assertThat(count("SELECT count(*) FROM alerts WHERE id LIKE 'l-%'")).isEqualTo(2_500);
        // chunks of 500: ten times the alerts may cost ten times one chunk's statements, never one per alert
        assertThat(large).isLessThan(5_000 / 10);
        assertThat(thousand).isLessThan(1_000 / 10);
        assertThat(small).isLessThan(40);
        assertThat(replay).isLessThan(5_000 / 10);
    }

    /**
     * A detector gone wrong: 1,000 CRITICAL alerts on distinct keys in one poll. The guard revokes its 20 per window,
     * the rest wait for a person (a decision, an audit entry, a marker and a revocation.pending event each): per
     * chunk a fixed number of statements plus a few per revoked key, which the guard bounds.
     */
    @Test
    void decidingABurstOfCriticalAlertsCostsBoundedStatements() {
        Instant now = Instant.now();
        List<Alert> batch = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            batch.add(TestAlerts.alert("c-" + i, "c-key-" + i, AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, now));
        }

        int statements = statementsFor(batch);

        assertThat(count("SELECT count(*) FROM keys WHERE key_id LIKE 'c-key-%' AND status = 'REVOKED'"))
                .isEqualTo(RevocationSettings.DEFAULTS.maxPerWindow());
        assertThat(count("SELECT count(*) FROM revocation_decisions WHERE key_id LIKE 'c-key-%' "
                + "AND status = 'PENDING_APPROVAL'")).isEqualTo(1_000 - RevocationSettings.DEFAULTS.maxPerWindow());
        assertThat(count("SELECT count(*) FROM alerts WHERE auto_revocation = 'PENDING_APPROVAL' "
                + "AND key_id LIKE 'c-key-%'")).isEqualTo(1_000 - RevocationSettings.DEFAULTS.maxPerWindow());
        assertThat(statements).isLessThan(1_000 / 4);
    }

    private static long count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }
}
