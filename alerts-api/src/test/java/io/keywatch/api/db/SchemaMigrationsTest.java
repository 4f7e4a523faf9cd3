package io.keywatch.api.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.alerts.AlertStatus;
import io.keywatch.api.alerts.AlertStore;
import io.keywatch.api.alerts.StoredAlert;
import io.keywatch.api.keys.KeyStore;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import io.keywatch.events.Severity;
import java.time.Instant;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** V2 turns the alerts a V1 database holds into groups without losing an id. */
@ExtendWith(SharedInfra.class)
class SchemaMigrationsTest {

    @Test
    void foldsUnresolvedV1AlertsOfOneRuleAndKeyAndKeepsEveryIdFindable(EmbeddedPostgresServer postgres) {
        try (HikariDataSource dataSource = DataSources.pooled(TestDatabases.createDatabase(postgres),
                postgres.user(), postgres.password())) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").target("1").load().migrate();
            Jdbi raw = Jdbi.create(dataSource);
            raw.useHandle(h -> {
                insertV1(h, "old-1", "k", "HIGH", 2, "2026-11-27T19:00:00Z", "OPEN");
                insertV1(h, "old-2", "k", "CRITICAL", 3, "2026-11-27T19:05:00Z", "OPEN");
                insertV1(h, "old-3", "k", "LOW", 0, "2026-11-27T19:10:00Z", "ACKNOWLEDGED");
                insertV1(h, "done", "k", "LOW", 0, "2026-11-27T18:00:00Z", "RESOLVED");
                h.execute("INSERT INTO keys (key_id, status, changed_at, reason, changed_by, state_published) "
                        + "VALUES ('k', 'REVOKED', '2026-11-27T19:06:00Z', 'leaked', 'api:admin', true)");
            });

            SchemaMigrations.migrate(dataSource);

            ObjectMapper json = KeywatchJson.newMapper();
            Jdbi jdbi = ApiJdbi.create(dataSource, json);
            AlertStore store = new AlertStore(jdbi, json);
            StoredAlert folded = store.find("old-2").orElseThrow();
            assertThat(folded.id()).isEqualTo("old-1");
            assertThat(folded.occurrences()).isEqualTo(3);
            assertThat(folded.severity()).isEqualTo(Severity.CRITICAL);
            assertThat(folded.firstSeen()).isEqualTo(Instant.parse("2026-11-27T19:00:00Z"));
            assertThat(folded.lastSeen()).isEqualTo(Instant.parse("2026-11-27T19:10:00Z"));
            assertThat(store.find("old-3").orElseThrow().id()).isEqualTo("old-1");
            StoredAlert resolved = store.find("done").orElseThrow();
            assertThat(resolved.status()).isEqualTo(AlertStatus.RESOLVED);
            assertThat(resolved.resolution()).isEqualTo("other");
            assertThat(new KeyStore(jdbi, json).find("k").orElseThrow().revokedAt())
                    .isEqualTo(Instant.parse("2026-11-27T19:06:00Z"));
        }
    }

    private static void insertV1(org.jdbi.v3.core.Handle h, String id, String key, String severity, int rank,
                                 String detectedAt, String status) {
        h.createUpdate("""
                        INSERT INTO alerts (id, rule, severity, severity_rank, key_id, window_start, window_end,
                                            detected_at, observed, threshold, status)
                        VALUES (:id, 'VOLUME_SPIKE', :severity, :rank, :key, CAST(:at AS timestamptz),
                                CAST(:at AS timestamptz), CAST(:at AS timestamptz), 1, 1, :status)
                        """)
                .bind("id", id).bind("severity", severity).bind("rank", (short) rank).bind("key", key)
                .bind("at", detectedAt).bind("status", status)
                .execute();
    }
}
