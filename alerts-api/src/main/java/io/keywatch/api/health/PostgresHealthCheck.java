package io.keywatch.api.health;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/** PostgreSQL is up when the pool hands out a connection that answers within two seconds. */
public final class PostgresHealthCheck implements HealthCheck {

    private final DataSource dataSource;

    public PostgresHealthCheck(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public ComponentHealth check() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(2) ? ComponentHealth.up(null) : ComponentHealth.down("connection not valid");
        } catch (SQLException | RuntimeException e) {
            return ComponentHealth.down(e.getMessage());
        }
    }
}
