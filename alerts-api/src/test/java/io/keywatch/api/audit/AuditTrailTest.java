package io.keywatch.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.ApiJdbi;
import io.keywatch.api.ApiSettings;
import io.keywatch.api.auth.Actor;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import io.keywatch.api.db.DataSources;
import io.keywatch.api.db.SchemaMigrations;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import io.keywatch.events.KeywatchJson;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The audit trail on real PostgreSQL: the chain, its verification, and what the database refuses. */
@ExtendWith(SharedInfra.class)
class AuditTrailTest {

    private static final ObjectMapper JSON = KeywatchJson.newMapper();
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00.123456789Z");
    private static final Actor ALICE = new Actor(new Principal("token:alice", Role.RESPONDER, "api-token"),
            "bob@example.com", "203.0.113.7", "req-1");

    private final EmbeddedPostgresServer postgres;
    private String url;
    private HikariDataSource dataSource;
    private Jdbi jdbi;
    private AuditLog log;

    AuditTrailTest(EmbeddedPostgresServer postgres) {
        this.postgres = postgres;
    }

    /** A database of its own per test: tampering in one must not break the next one's chain. */
    @BeforeEach
    void freshDatabase() {
        url = TestDatabases.createDatabase(postgres);
        dataSource = DataSources.pooled(url, postgres.user(), postgres.password());
    }

    private void migrate(String appRole) {
        SchemaMigrations.migrate(dataSource, appRole);
        jdbi = ApiJdbi.create(dataSource, JSON);
        log = new AuditLog(jdbi);
    }

    @AfterEach
    void close() {
        dataSource.close();
    }

    private long record(Jdbi on, String action, String targetId, Object before, Object after) {
        return on.inTransaction(h -> new AuditTrail(h).record(AuditEntry.of(ALICE, T0, action, "alert", targetId,
                before, after)));
    }

    @Test
    void aChainOfEntriesVerifiesAndEndsAtTheHead() {
        migrate(null);
        assertThat(log.verify()).isEqualTo(AuditVerification.verified(0, ChainHash.GENESIS));

        record(jdbi, "alert.acknowledged", "a-1", Map.of("status", "OPEN"), Map.of("status", "ACKNOWLEDGED"));
        // JSON that jsonb re-formats (key order, spacing, exponents, big numbers, escapes): the hash still matches
        record(jdbi, "key.updated", "k-1", JSON.createObjectNode().put("z", 1.50).put("a", "é\n\"")
                .put("big", new java.math.BigInteger("123456789012345678901234567890")).put("e", 1e300), null);
        long last = record(jdbi, "silence.deleted", "s-1", null, List.of(1, "two", Map.of()));

        AuditVerification result = log.verify();
        assertThat(result.ok()).isTrue();
        assertThat(result.entries()).isEqualTo(3);
        assertThat(last).isEqualTo(3);
        String headHash = jdbi.withHandle(h -> h.createQuery("SELECT hash FROM audit_log WHERE id = 3")
                .mapTo(String.class).one());
        assertThat(result.head()).isEqualTo(headHash);

        List<StoredAuditEntry> exported = new ArrayList<>();
        log.export(new AuditLog.ExportQuery(null, null, 0, 10), exported::add);
        assertThat(exported).extracting(StoredAuditEntry::id).containsExactly(1L, 2L, 3L);
        StoredAuditEntry first = exported.get(0);
        assertThat(first.identity()).isEqualTo("token:alice");
        assertThat(first.role()).isEqualTo("responder");
        assertThat(first.authMethod()).isEqualTo("api-token");
        assertThat(first.onBehalfOf()).isEqualTo("bob@example.com");
        assertThat(first.sourceAddress()).isEqualTo("203.0.113.7");
        assertThat(first.requestId()).isEqualTo("req-1");
        assertThat(first.at()).isEqualTo(Instant.parse("2026-12-01T10:00:00.123456Z"));
        assertThat(first.prevHash()).isEqualTo(ChainHash.GENESIS);
        assertThat(exported.get(1).prevHash()).isEqualTo(first.hash());
    }

    @Test
    void concurrentAppendsFormOneChainWithoutGaps() throws Exception {
        migrate(null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        record(jdbi, "alert.resolved", "a-" + thread + "-" + i, null, Map.of("i", i));
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        AuditVerification result = log.verify();
        assertThat(result.ok()).as(result.reason()).isTrue();
        assertThat(result.entries()).isEqualTo(80);
    }

    @Test
    void anEntryRolledBackWithItsChangeLeavesNoTrace() {
        migrate(null);
        record(jdbi, "alert.acknowledged", "a-1", null, null);
        assertThatThrownBy(() -> jdbi.useTransaction(h -> {
            new AuditTrail(h).record(AuditEntry.of(ALICE, T0, "alert.resolved", "alert", "a-1", null, null));
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        record(jdbi, "alert.resolved", "a-1", null, null);

        assertThat(log.verify()).satisfies(r -> {
            assertThat(r.ok()).isTrue();
            assertThat(r.entries()).isEqualTo(2);
        });
    }

    @Test
    void recordingOutsideATransactionIsRefused() {
        migrate(null);
        assertThatThrownBy(() -> jdbi.useHandle(h -> new AuditTrail(h).record(
                AuditEntry.of(ALICE, T0, "alert.resolved", "alert", "a-1", null, null))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEditedEntryFailsVerificationAtThatEntry() throws SQLException {
        migrate(null);
        for (int i = 1; i <= 4; i++) {
            record(jdbi, "alert.acknowledged", "a-" + i, null, Map.of("n", i));
        }
        asSuperuser("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
                "UPDATE audit_log SET identity = 'mallory' WHERE id = 3",
                "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");

        AuditVerification result = log.verify();
        assertThat(result.ok()).isFalse();
        assertThat(result.brokenAt()).isEqualTo(3);
        assertThat(result.entries()).isEqualTo(2);
        assertThat(result.reason()).contains("does not match its content");
    }

    @Test
    void anEditedBeforeOrAfterIsDetectedToo() throws SQLException {
        migrate(null);
        record(jdbi, "key.updated", "k-1", Map.of("owner", "team-a"), Map.of("owner", "team-b"));
        asSuperuser("ALTER TABLE audit_log DISABLE TRIGGER USER",
                "UPDATE audit_log SET after = '{\"owner\":\"team-a\"}' WHERE id = 1",
                "ALTER TABLE audit_log ENABLE TRIGGER USER");

        assertThat(log.verify().brokenAt()).isEqualTo(1);
    }

    @Test
    void aRemovedEntryAndARemovedTailAreDetected() throws SQLException {
        migrate(null);
        for (int i = 1; i <= 5; i++) {
            record(jdbi, "alert.acknowledged", "a-" + i, null, null);
        }
        asSuperuser("ALTER TABLE audit_log DISABLE TRIGGER USER", "DELETE FROM audit_log WHERE id = 5",
                "ALTER TABLE audit_log ENABLE TRIGGER USER");
        AuditVerification tail = log.verify();
        assertThat(tail.ok()).isFalse();
        assertThat(tail.brokenAt()).isEqualTo(5);
        assertThat(tail.reason()).contains("chain head");

        asSuperuser("ALTER TABLE audit_log DISABLE TRIGGER USER", "DELETE FROM audit_log WHERE id = 2",
                "ALTER TABLE audit_log ENABLE TRIGGER USER");
        AuditVerification gap = log.verify();
        assertThat(gap.brokenAt()).isEqualTo(2);
        assertThat(gap.reason()).contains("missing");
    }

    @Test
    void theTriggerRefusesUpdateDeleteAndTruncateEvenToASuperuser() throws SQLException {
        migrate(null);
        record(jdbi, "alert.acknowledged", "a-1", null, null);
        // row triggers fire only for rows: each table has one
        asSuperuser("INSERT INTO revocation_audit (at, key_id, action, actor) VALUES (now(), 'k-1', 'REVOKED', "
                + "'policy:VOLUME_SPIKE')");
        for (String table : List.of("audit_log", "revocation_audit")) {
            for (String sql : List.of("UPDATE " + table + " SET at = now()", "DELETE FROM " + table,
                    "TRUNCATE " + table)) {
                assertThatThrownBy(() -> asSuperuser(sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
        assertThat(log.verify().ok()).isTrue();
    }

    @Test
    void theApplicationRoleMayAppendAndReadButNotChange() throws SQLException {
        String role = "kw_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)
                .toLowerCase(Locale.ROOT);
        asSuperuser("CREATE ROLE " + role + " LOGIN PASSWORD 'app-pass'");
        migrate(role);

        try (HikariDataSource asApp = DataSources.pooled(url, role, "app-pass")) {
            Jdbi app = ApiJdbi.create(asApp, JSON);
            assertThat(record(app, "alert.acknowledged", "a-1", null, Map.of("status", "ACKNOWLEDGED")))
                    .isEqualTo(1);
            assertThat(new AuditLog(app).verify().ok()).isTrue();
            app.useTransaction(h -> h.execute("INSERT INTO revocation_audit (at, key_id, action, actor) "
                    + "VALUES (now(), 'k-1', 'REVOKED', 'policy:VOLUME_SPIKE')"));
            for (String sql : List.of("UPDATE audit_log SET identity = 'mallory'", "DELETE FROM audit_log",
                    "TRUNCATE audit_log", "UPDATE revocation_audit SET actor = 'mallory'",
                    "DELETE FROM revocation_audit", "DELETE FROM audit_chain_head")) {
                assertThatThrownBy(() -> app.useHandle(h -> h.execute(sql))).as(sql)
                        .hasMessageContaining("permission denied");
            }
            // nor switch the trigger off: that needs the table's owner
            assertThatThrownBy(() -> app.useHandle(h -> h.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")))
                    .hasMessageContaining("must be owner");
        }
    }

    @Test
    void aRoleNameThatIsNotPlainIsRefusedBeforeItReachesSql() {
        assertThatThrownBy(() -> SchemaMigrations.migrate(dataSource, "x'; DROP TABLE keys; --"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEYWATCH_DB_APP_ROLE");
        assertThat(AuditSettings.fromEnv(Map.of("KEYWATCH_DB_APP_ROLE", " keywatch_app ")).appRole())
                .isEqualTo("keywatch_app");
        assertThat(AuditSettings.fromEnv(Map.of()).appRole()).isNull();
        assertThat(ApiSettings.fromEnv(Map.of("KEYWATCH_DB_APP_ROLE", "keywatch_app")).dbAppRole())
                .isEqualTo("keywatch_app");
        assertThatThrownBy(() -> ApiSettings.fromEnv(Map.of("KEYWATCH_DB_APP_ROLE", "Keywatch-App")))
                .hasMessageContaining("KEYWATCH_DB_APP_ROLE");
    }

    private void asSuperuser(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, postgres.user(), postgres.password());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
