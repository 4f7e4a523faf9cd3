package io.keywatch.api.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.keywatch.api.support.SharedInfra;
import io.keywatch.api.support.TestDatabases;
import io.keywatch.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** As KEYWATCH_DB_APP_ROLE, PostgreSQL itself refuses what the running service never needs. */
@ExtendWith(SharedInfra.class)
class AppRoleGrantsTest {

    private static final String APP_PASSWORD = "app-pass-for-tests";

    private final EmbeddedPostgresServer postgres;
    private String url;
    private String role;
    private HikariDataSource owner;

    AppRoleGrantsTest(EmbeddedPostgresServer postgres) {
        this.postgres = postgres;
    }

    @BeforeEach
    void freshDatabaseAndRole() throws SQLException {
        url = TestDatabases.createDatabase(postgres);
        owner = DataSources.pooled(url, postgres.user(), postgres.password());
        // roles belong to the whole server: one of its own per test
        role = "kw_app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
        asOwner("CREATE ROLE " + role + " LOGIN PASSWORD '" + APP_PASSWORD + "'");
    }

    @AfterEach
    void close() {
        owner.close();
    }

    @Test
    void theAppRoleCannotCreateAlterDropOrTruncate() throws SQLException {
        SchemaMigrations.migrate(owner, role);

        for (String ddl : List.of("CREATE TABLE mine (id int)", "CREATE TABLE public.mine (id int)",
                "CREATE TEMPORARY TABLE mine (id int)", "CREATE SCHEMA mine",
                "CREATE VIEW mine AS SELECT 1",
                "CREATE FUNCTION mine() RETURNS int LANGUAGE sql AS 'SELECT 1'")) {
            assertRefused(ddl, "permission denied");
        }
        for (String ddl : List.of("CREATE INDEX keys_mine_idx ON keys (status)", "DROP TABLE keys", "DROP TABLE audit_log", "ALTER TABLE keys ADD COLUMN x int",
                "ALTER TABLE audit_log DISABLE TRIGGER USER", "DROP TRIGGER audit_log_append_only ON audit_log",
                "ALTER TABLE alerts OWNER TO " + role)) {
            assertRefused(ddl, "must be owner");
        }
        for (String table : List.of("keys", "alerts", "audit_log", "webhook_subscriptions", "api_tokens")) {
            assertRefused("TRUNCATE " + table, "permission denied");
        }
        assertRefused("UPDATE flyway_schema_history SET success = false", "permission denied");
        assertRefused("DELETE FROM flyway_schema_history", "permission denied");
        assertRefused("SELECT setval('audit_log_id_seq_does_not_exist', 1)", "does not exist");
    }

    @Test
    void theAuditTrailAndHistoriesAreAppendOnlyByPrivilege() throws SQLException {
        SchemaMigrations.migrate(owner, role);

        for (String sql : List.of("UPDATE audit_log SET identity = 'mallory'", "DELETE FROM audit_log",
                "UPDATE revocation_audit SET actor = 'mallory'", "DELETE FROM revocation_audit",
                "INSERT INTO audit_chain_head (id, last_id, last_hash) VALUES (2, 0, 'x')",
                "DELETE FROM audit_chain_head", "UPDATE alert_history SET actor = 'mallory'",
                "DELETE FROM alert_history", "UPDATE webhook_events SET type = 'x'", "DELETE FROM webhook_events",
                "DELETE FROM revocation_decision_alerts", "DELETE FROM revocation_guard",
                // would cascade to the alerts' history and the deliveries' attempts
                "DELETE FROM alerts", "DELETE FROM webhook_subscriptions", "DELETE FROM webhook_deliveries",
                // the alert stream's feed is only written by its trigger and pruned
                "UPDATE alert_changes SET alert_id = 'forged'",
                // a key's observation row is never deleted; its scopes are replaced, never edited in place
                "DELETE FROM key_scope_observations", "UPDATE key_scope_usage SET last_used = now()")) {
            // PostgreSQL's privilege check, not the trigger (an owner could switch that off)
            assertRefused(sql, "permission denied");
        }
        // what the service does do: move the chain head, change keys
        asApp("UPDATE audit_chain_head SET last_id = last_id WHERE id = 1",
                "INSERT INTO keys (key_id, status, changed_at, changed_by, state_published) "
                        + "VALUES ('k-1', 'ACTIVE', now(), 'api:admin', true)",
                "UPDATE keys SET status = 'REVOKED' WHERE key_id = 'k-1'",
                "DELETE FROM alert_changes WHERE at < now() - interval '1 day'",
                // the key-scopes intake replaces a key's scopes with its latest record's
                "DELETE FROM key_scope_usage WHERE key_id = 'k-1'");
    }

    @Test
    void aTableALaterMigrationAddsIsUsableWithoutItGrantingAnything() throws SQLException {
        SchemaMigrations.migrate(owner, role);
        SchemaMigrations.migrate(owner, role, List.of("classpath:db/migration", "classpath:db/latermigration"));

        asApp("INSERT INTO later_feed (note) VALUES ('first')", "UPDATE later_feed SET note = 'changed'",
                "DELETE FROM later_feed");
        assertRefused("DROP TABLE later_feed", "must be owner");
        assertRefused("TRUNCATE later_feed", "permission denied");
        assertRefused("SELECT setval('later_feed_id_seq', 1000)", "permission denied");
    }

    @Test
    void aRoleThatPrivilegesWouldNotBindIsRefused() throws SQLException {
        assertThatThrownBy(() -> SchemaMigrations.migrate(owner, "kw_no_such_role_at_all"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> SchemaMigrations.migrate(owner, postgres.user()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("superuser");
        asOwner("ALTER ROLE " + role + " SUPERUSER");
        assertThatThrownBy(() -> SchemaMigrations.migrate(owner, role))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("superuser");
        asOwner("ALTER ROLE " + role + " NOSUPERUSER", "CREATE TABLE owned_by_app (id int)",
                "ALTER TABLE owned_by_app OWNER TO " + role);
        assertThatThrownBy(() -> SchemaMigrations.migrate(owner, role))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("owns owned_by_app");
    }

    @Test
    void anInstanceThatConnectsAsTheAppRoleWithoutAnOwnerKeepsTheGrantsAndStillCannotChangeThem() throws SQLException {
        SchemaMigrations.migrate(owner, role);
        try (HikariDataSource asApp = DataSources.pooled(url, role, APP_PASSWORD)) {
            // nothing pending: Flyway only reads its history; the app role cannot grant, what the owner granted stays
            assertThat(SchemaMigrations.migrate(asApp, role)).isZero();
        }
        asApp("INSERT INTO keys (key_id, status, changed_at, changed_by, state_published) "
                + "VALUES ('k-2', 'ACTIVE', now(), 'api:admin', true)");
        assertRefused("DELETE FROM audit_log", "permission denied");
    }

    @Test
    void withoutAnAppRoleNothingIsGrantedAsBefore() throws SQLException {
        SchemaMigrations.migrate(owner, null);
        assertRefused("SELECT * FROM keys", "permission denied");
    }

    private void assertRefused(String sql, String message) {
        assertThatThrownBy(() -> asApp(sql)).as(sql).isInstanceOf(SQLException.class)
                .hasMessageContaining(message);
    }

    private void asApp(String... statements) throws SQLException {
        run(role, APP_PASSWORD, statements);
    }

    private void asOwner(String... statements) throws SQLException {
        run(postgres.user(), postgres.password(), statements);
    }

    private void run(String user, String password, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, user, password);
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
