package io.keywatch.api.support;

import io.keywatch.embedded.EmbeddedPostgresServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** A new, empty database on the shared server for each test class, so classes never see each other's rows. */
public final class TestDatabases {

    private TestDatabases() {
    }

    /** Creates the database and returns its JDBC URL (same user and password as the server). */
    public static String createDatabase(EmbeddedPostgresServer server) {
        String name = "kw_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection connection = server.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return "jdbc:postgresql://localhost:" + server.port() + "/" + name;
    }
}
