package io.keywatch.tools.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.alerts.AlertIntake;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.keys.KeyRevoker;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.keys.RevocationPolicy;
import io.keywatch.api.revocation.AuditingKeyChanges;
import io.keywatch.api.revocation.DecisionStatus;
import io.keywatch.api.revocation.RevocationEngine;
import io.keywatch.api.revocation.RevocationSettings;
import io.keywatch.api.webhooks.RelaySignal;
import io.keywatch.api.webhooks.WebhookEvents;
import io.keywatch.api.webhooks.WebhookOutbox;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code bench --intake}: the API's alert intake alone, on an embedded PostgreSQL, as the alert consumer drives it
 * (AlertIntake.handle with one poll): a hygiene burst of {@code burst} LOW alerts on distinct keys, then one CRITICAL
 * alert whose key the policy revokes. Measures the alerts stored per second and how long after the poll began the
 * critical alert's revocation was committed; {@code runs} runs, reported with their median.
 */
final class IntakePhase {

    /** One run: the poll's size, its time, and the delay of the critical alert's committed revocation. */
    record Run(int alerts, double seconds, double criticalSeconds) {
        double alertsPerSecond() {
            return alerts / seconds;
        }
    }

    record Result(int burst, List<Run> runs) {
        double medianAlertsPerSecond() {
            return median(runs.stream().mapToDouble(Run::alertsPerSecond).toArray());
        }

        double medianCriticalSeconds() {
            return median(runs.stream().mapToDouble(Run::criticalSeconds).toArray());
        }

        double medianSeconds() {
            return median(runs.stream().mapToDouble(Run::seconds).toArray());
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }
    }

    private final Progress progress;

    IntakePhase(Progress progress) {
        this.progress = progress;
    }

    Result run(int burst, int runs) {
        try (EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
             HikariDataSource dataSource = DataSources.pooled(postgres.jdbcUrl(), postgres.user(),
                     postgres.password())) {
            SchemaMigrations.migrate(dataSource);
            ObjectMapper json = KeywatchJson.newMapper();
            Jdbi jdbi = ApiJdbi.create(dataSource, json);
            Clock clock = Clock.systemUTC();
            WebhookOutbox outbox = new WebhookOutbox(WebhookEvents.create(), new RelaySignal(), clock);
            AlertStore alerts = new AlertStore(jdbi, json, clock, outbox.alertListener());
            KeyRevoker revoker = new KeyRevoker(new KeyStore(jdbi, json), state -> { }, clock,
                    new AuditingKeyChanges(outbox));
            AtomicLong revokedAt = new AtomicLong();
            RevocationEngine engine = new RevocationEngine(jdbi, new RevocationPolicy(Severity.CRITICAL, revoker),
                    RevocationSettings.DEFAULTS, alerts, outbox, revoker, clock)
                    .withListener((status, pendingReason) -> {
                        if (status == DecisionStatus.REVOKED) {
                            revokedAt.compareAndSet(0, System.nanoTime());
                        }
                    });
            AlertIntake intake = new AlertIntake(alerts, engine);

            // one warm-up poll (JIT, PostgreSQL caches), not reported
            intake.handle(poll("warmup", burst / 10));
            List<Run> results = new ArrayList<>(runs);
            for (int r = 1; r <= runs; r++) {
                List<Alert> poll = poll("run" + r, burst);
                revokedAt.set(0);
                long started = System.nanoTime();
                intake.handle(poll);
                long done = System.nanoTime();
                long revoked = revokedAt.get();
                Run run = new Run(poll.size(), (done - started) / 1e9,
                        revoked == 0 ? Double.NaN : (revoked - started) / 1e9);
                progress.say("intake: run %d: %,d alerts in %.2f s (%,.0f alerts/s); critical revoked after %.3f s",
                        r, run.alerts(), run.seconds(), run.alertsPerSecond(), run.criticalSeconds());
                results.add(run);
            }
            return new Result(burst, results);
        }
    }

    /** A hygiene pass's LOW alerts on distinct keys, then one CRITICAL alert on a leaked key. */
    private static List<Alert> poll(String run, int burst) {
        Instant now = Instant.now();
        Instant windowStart = now.minus(Duration.ofMinutes(5));
        List<Alert> poll = new ArrayList<>(burst + 1);
        for (int i = 0; i < burst; i++) {
            String keyId = "bench-" + run + "-key-" + i;
            poll.add(new Alert(Alert.idFor(AlertRule.KEY_UNUSED, keyId, windowStart), AlertRule.KEY_UNUSED,
                    Severity.LOW, keyId, windowStart, windowStart.plus(Duration.ofMinutes(1)), now, now, 0, 90, null,
                    "key unused for 90 days", Map.of("daysUnused", 120)));
        }
        String leaked = "bench-" + run + "-leaked";
        poll.add(new Alert(Alert.idFor(AlertRule.AUTH_FAILURE_BURST, leaked, windowStart),
                AlertRule.AUTH_FAILURE_BURST, Severity.CRITICAL, leaked, windowStart,
                windowStart.plus(Duration.ofMinutes(1)), now, now, 1200, 300, 100.0, "auth failures on " + leaked,
                Map.of("requests", 1200)));
        return poll;
    }
}
