package io.keywatch.api.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.alerts.AlertIntake;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.keys.KeyRegistry;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.api.silences.SilenceStore;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestAlerts;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.api.webhooks.RelaySignal;
import io.keywatch.api.webhooks.WebhookEvents;
import io.keywatch.api.webhooks.WebhookOutbox;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Several intakes deciding at once (as several consumer batches or API instances would) against one database: the
 * guard row's lock makes the count exact. A replayed batch decides nothing twice.
 */
@ExtendWith(SharedInfra.class)
class RevocationEngineTest {

    private static final int LIMIT = 7;
    private static HikariDataSource dataSource;
    private static Jdbi jdbi;
    private static AlertIntake intake;
    private static KeyRegistry registry;
    private static SilenceStore silences;

    @BeforeAll
    static void setUp(EmbeddedPostgresServer postgres) {
        dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres), postgres.user(), postgres.password());
        SchemaMigrations.migrate(dataSource);
        ObjectMapper json = KeywatchJson.newMapper();
        jdbi = ApiJdbi.create(dataSource, json);
        Clock clock = Clock.systemUTC();
        WebhookOutbox outbox = new WebhookOutbox(WebhookEvents.create(), new RelaySignal(), clock);
        AlertStore alerts = new AlertStore(jdbi, json, clock, (handle, alert) -> outbox.on(handle).alertCreated(alert));
        KeyStore keys = new KeyStore(jdbi, json);
        KeyRevoker revoker = new KeyRevoker(keys, state -> { }, clock, new AuditingKeyChanges(outbox));
        RevocationSettings settings = RevocationSettings.DEFAULTS.withGuard(LIMIT, Duration.ofMinutes(10));
        RevocationEngine engine = new RevocationEngine(jdbi, new RevocationPolicy(Severity.CRITICAL, revoker),
                settings, alerts, outbox, revoker, clock);
        intake = new AlertIntake(alerts, engine);
        registry = new KeyRegistry(keys, state -> { }, clock);
        silences = new SilenceStore(jdbi, clock);
    }

    @AfterAll
    static void tearDown() {
        dataSource.close();
    }

    @Test
    void concurrentBatchesRevokeExactlyTheLimit() throws Exception {
        Instant now = Instant.now();
        List<List<Alert>> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            List<Alert> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                String n = b + "-" + i;
                batch.add(TestAlerts.alert("conc-" + n, "conc-key-" + n, AlertRule.AUTH_FAILURE_BURST,
                        Severity.CRITICAL, now));
            }
            batches.add(batch);
        }
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (List<Alert> batch : batches) {
                done.add(threads.submit(() -> intake.handle(batch)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            // a replay of every batch (the consumer is at-least-once) changes nothing
            done.clear();
            for (List<Alert> batch : batches) {
                done.add(threads.submit(() -> intake.handle(batch)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }

        String conc = " AND key_id LIKE 'conc-%'";
        assertThat(count("SELECT count(*) FROM keys WHERE status = 'REVOKED'" + conc)).isEqualTo(LIMIT);
        assertThat(count("SELECT count(*) FROM revocation_decisions WHERE status = 'REVOKED'" + conc))
                .isEqualTo(LIMIT);
        assertThat(count("SELECT count(*) FROM revocation_decisions WHERE status = 'PENDING_APPROVAL'" + conc))
                .isEqualTo(200 - LIMIT);
        assertThat(count("SELECT count(*) FROM revocation_audit WHERE true" + conc)).isEqualTo(200);
        assertThat(count("SELECT count(*) FROM alerts WHERE rule = 'REVOCATION_GUARD_TRIPPED'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM alerts WHERE auto_revocation = 'PENDING_APPROVAL'" + conc))
                .isEqualTo(200 - LIMIT);
    }

    @Test
    void aCanaryIsNeverRevokedAutomaticallyAndTheDecisionSaysWhy() {
        registry.register("canary-key", new KeyMetadata("team", "svc", null, null, null, null, true, null, null,
                null, true, "github.com/acme/old-infra/.env"), "api:admin");
        Instant now = Instant.now();

        intake.handle(List.of(TestAlerts.alert("canary-1", "canary-key", AlertRule.CANARY_KEY_USED,
                Severity.CRITICAL, now)));
        // whatever the rule: a canary hammered by a scraper is not revoked by the volume spike either
        intake.handle(List.of(TestAlerts.alert("canary-2", "canary-key", AlertRule.VOLUME_SPIKE, Severity.CRITICAL,
                now)));

        assertThat(count("SELECT count(*) FROM keys WHERE key_id = 'canary-key' AND status = 'ACTIVE'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM revocation_decisions WHERE key_id = 'canary-key' "
                + "AND status = 'SKIPPED_CANARY'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM revocation_audit WHERE key_id = 'canary-key' "
                + "AND action = 'SKIPPED_CANARY' AND reason LIKE '%canary (decoy)%'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM alerts WHERE key_id = 'canary-key' "
                + "AND auto_revocation = 'SKIPPED_CANARY'")).isEqualTo(2);
    }

    @Test
    void laterAlertsOfAProtectedKeyJoinItsPendingDecision() {
        registry.register("prot-key", new KeyMetadata("team", "svc", null, null, null, null, false, null, null,
                null), "api:admin");
        Instant now = Instant.now();

        intake.handle(List.of(TestAlerts.alert("prot-1", "prot-key", AlertRule.VOLUME_SPIKE, Severity.CRITICAL, now)));
        intake.handle(List.of(TestAlerts.alert("prot-2", "prot-key", AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL,
                now)));

        assertThat(count("SELECT count(*) FROM revocation_decisions WHERE key_id = 'prot-key'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM revocation_decision_alerts a JOIN revocation_decisions d "
                + "ON d.id = a.decision_id WHERE d.key_id = 'prot-key' AND d.status = 'PENDING_APPROVAL'"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM alerts WHERE key_id = 'prot-key' AND auto_revocation = "
                + "'SKIPPED_PROTECTED'")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM keys WHERE key_id = 'prot-key' AND status = 'ACTIVE'")).isEqualTo(1);
    }

    @Test
    void aSilencedAlertIsAuditedAndRevokesNothing() {
        silences.create("sil-key", null, Instant.now().plus(Duration.ofHours(1)), "pen test", "api:admin");

        intake.handle(List.of(TestAlerts.alert("sil-1", "sil-key", AlertRule.VOLUME_SPIKE, Severity.CRITICAL,
                Instant.now())));

        List<String> actions = jdbi.withHandle(h -> h.createQuery(
                "SELECT action FROM revocation_audit WHERE key_id = 'sil-key'").mapTo(String.class).list());
        assertThat(actions).containsExactly("SKIPPED_SILENCED");
        assertThat(count("SELECT count(*) FROM keys WHERE key_id = 'sil-key'")).isZero();
    }

    private static int count(String sql) {
        return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
    }
}
