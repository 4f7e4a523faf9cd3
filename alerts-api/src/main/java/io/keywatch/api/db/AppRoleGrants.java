package io.keywatch.api.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application role's privileges, set by the schema's owner after every migration ({@code KEYWATCH_DB_APP_ROLE}):
 * on every table of the schema (those later migrations add too, without them doing anything) only what the
 * running service needs, sequences to draw ids from, and no way to create, alter, drop or truncate anything.
 * Idempotent: each run revokes everything and grants again, in one transaction.
 */
public final class AppRoleGrants {

    /** Tables the service only ever writes one way (see the grep in the README's Database roles); the rest: CRUD. */
    static final Map<String, String> TIGHTER = Map.ofEntries(
            // the audit trail and the decisions' log are append-only; the chain head only moves
            Map.entry("audit_log", "SELECT, INSERT"),
            Map.entry("revocation_audit", "SELECT, INSERT"),
            Map.entry("audit_chain_head", "SELECT, UPDATE"),
            // history and events are written once and never changed
            Map.entry("alert_history", "SELECT, INSERT"),
            Map.entry("webhook_events", "SELECT, INSERT"),
            Map.entry("revocation_decision_alerts", "SELECT, INSERT"),
            // one row, made by its migration
            Map.entry("revocation_guard", "SELECT, UPDATE"),
            // never deleted (webhooks are soft-deleted), and a DELETE here would cascade, as the owner, to the
            // history, the occurrences, the decisions' alerts or the delivery attempts
            Map.entry("alerts", "SELECT, INSERT, UPDATE"),
            Map.entry("revocation_decisions", "SELECT, INSERT, UPDATE"),
            Map.entry("webhook_subscriptions", "SELECT, INSERT, UPDATE"),
            Map.entry("webhook_deliveries", "SELECT, INSERT, UPDATE"),
            // the alert stream's feed: written by a trigger, pruned by the poller, never changed
            Map.entry("alert_changes", "SELECT, INSERT, DELETE"),
            // key scope usage: one row per key, upserted by the key-scopes intake, never deleted; its scopes are
            // replaced by each newer record (DELETE then INSERT), so that they follow the latest one and stay bounded
            Map.entry("key_scope_observations", "SELECT, INSERT, UPDATE"),
            Map.entry("key_scope_usage", "SELECT, INSERT, DELETE"));
    static final String DEFAULT = "SELECT, INSERT, UPDATE, DELETE";
    private static final Logger LOG = LoggerFactory.getLogger(AppRoleGrants.class);
    private static final String FLYWAY_HISTORY = "flyway_schema_history";

    private AppRoleGrants() {
    }

    /**
     * Grants {@code role} its privileges on the current schema of {@code owner}'s connection.
     *
     * @throws IllegalStateException when the role does not exist, is a superuser or owns a table (privileges would not
     *                               bind it), or could still create tables
     */
    public static void apply(DataSource owner, String role) {
        RoleNames.checked(role);
        try (Connection connection = owner.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                grant(connection, role);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot grant KEYWATCH_DB_APP_ROLE its privileges (SQLState "
                    + e.getSQLState() + "): " + LoggedFailure.describe(e), e);
        }
    }

    private static void grant(Connection connection, String role) throws SQLException {
        // instances starting together would otherwise change the same ACLs at once ("tuple concurrently updated")
        single(connection, "SELECT pg_advisory_xact_lock(hashtext('keywatch.app-role-grants'))::text", null);
        String schema = single(connection, "SELECT current_schema()", null);
        String me = single(connection, "SELECT current_user", null);
        String superuser = single(connection, "SELECT rolsuper::text FROM pg_roles WHERE rolname = ?", role);
        if (superuser == null) {
            throw new IllegalStateException("KEYWATCH_DB_APP_ROLE names role " + role + ", which does not exist: "
                    + "create it first (CREATE ROLE " + role + " LOGIN PASSWORD ...; nothing else)");
        }
        if (Boolean.parseBoolean(superuser)) {
            throw new IllegalStateException("KEYWATCH_DB_APP_ROLE " + role + " is a superuser: privileges do not bind "
                    + "it; use a role of its own that owns nothing");
        }
        String owned = single(connection, """
                SELECT string_agg(c.relname, ', ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND pg_get_userbyid(c.relowner) = ?""", role);
        if (owned != null) {
            throw new IllegalStateException("KEYWATCH_DB_APP_ROLE " + role + " owns " + owned
                    + ": privileges do not bind an owner; run the migrations as the owner and the API as another role");
        }
        if (role.equals(me)) {
            // the app role itself, without KEYWATCH_DB_MIGRATION_USER (an instance started after the owner's): it
            // cannot grant itself anything, and what the owner granted stays
            LOG.warn("KEYWATCH_DB_APP_ROLE {} is the user connected: privileges left as the owner last granted them "
                    + "(set KEYWATCH_DB_MIGRATION_USER to migrate and grant as the owner)", role);
            return;
        }
        List<String> tables = new ArrayList<>();
        List<String> sequences = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'S') ORDER BY c.relname""");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                (rows.getString(2).equals("S") ? sequences : tables).add(rows.getString(1));
            }
        }
        try (Statement statement = connection.createStatement()) {
            String grantee = quoted(role);
            // PostgreSQL before 15 lets PUBLIC create tables in public; only the schema's owner can take it back
            statement.execute("REVOKE CREATE ON SCHEMA " + quoted(schema) + " FROM PUBLIC, " + grantee);
            statement.execute("GRANT USAGE ON SCHEMA " + quoted(schema) + " TO " + grantee);
            // temporary tables are DDL too, and keywatch uses none (PUBLIC has TEMPORARY by default); only the
            // database's owner can take it back: from another user this is a warning, not an error
            statement.execute("REVOKE TEMPORARY ON DATABASE " + quoted(single(connection, "SELECT current_database()",
                    null)) + " FROM PUBLIC, " + grantee);
            for (String table : tables) {
                String name = quoted(schema) + "." + quoted(table);
                statement.execute("REVOKE ALL ON TABLE " + name + " FROM " + grantee);
                // the history read-only: an instance running as the app role sees nothing is pending
                String privileges = table.equals(FLYWAY_HISTORY) ? "SELECT" : TIGHTER.getOrDefault(table, DEFAULT);
                statement.execute("GRANT " + privileges + " ON TABLE " + name + " TO " + grantee);
            }
            for (String sequence : sequences) {
                String name = quoted(schema) + "." + quoted(sequence);
                statement.execute("REVOKE ALL ON SEQUENCE " + name + " FROM " + grantee);
                // nextval/currval, not setval
                statement.execute("GRANT USAGE, SELECT ON SEQUENCE " + name + " TO " + grantee);
            }
        }
        LOG.info("Database role {} granted what the API needs on {} table(s) and {} sequence(s) of schema {}, no more",
                role, tables.size(), sequences.size(), schema);
        if (Boolean.parseBoolean(single(connection,
                "SELECT has_schema_privilege(?, current_schema(), 'CREATE')::text", role))) {
            throw new IllegalStateException("KEYWATCH_DB_APP_ROLE " + role + " may still create tables in schema "
                    + schema + " (the migration user is not the schema's owner): as the schema's owner, REVOKE CREATE "
                    + "ON SCHEMA " + schema + " FROM PUBLIC");
        }
    }

    private static String single(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            if (parameter != null) {
                query.setString(1, parameter);
            }
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** A catalog name as a quoted identifier. */
    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
