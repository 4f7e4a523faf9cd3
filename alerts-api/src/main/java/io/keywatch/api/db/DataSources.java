package io.keywatch.api.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** Builds the service's connection pool. */
public final class DataSources {

    private DataSources() {
    }

    /**
     * A small pool: HTTP handlers and the consumer hold a connection only for one short statement or
     * transaction. A short connection timeout makes a database outage surface quickly as an error (the
     * consumer retries, the health check reports DOWN) instead of parking threads for the default 30 s.
     */
    public static HikariDataSource pooled(String jdbcUrl, String user, String password) {
        HikariConfig config = config("keywatch-alerts-api", jdbcUrl, user, password);
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setConnectionTimeout(5_000);
        config.setValidationTimeout(2_000);
        // fail at start-up when PostgreSQL is unreachable rather than on the first request
        config.setInitializationFailTimeout(10_000);
        return new HikariDataSource(config);
    }

    /** The schema owner's connections, for the migrations only; the caller closes them right after. */
    public static HikariDataSource migrations(String jdbcUrl, MigrationCredentials owner) {
        HikariConfig config = config("keywatch-migrations", jdbcUrl, owner.user(), owner.password());
        // Flyway holds one connection for its lock and the history table, and migrates on another
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(10_000);
        config.setInitializationFailTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static HikariConfig config(String poolName, String jdbcUrl, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setPoolName(poolName);
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(user);
        config.setPassword(password);
        // PostgreSQL's Detail ("Key (id)=(...) already exists") quotes values: keep it out of exception messages
        config.addDataSourceProperty("logServerErrorDetail", "false");
        // a JDBC batch of INSERTs (the set-based alert intake) travels as multi-row INSERTs: far fewer executions
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return config;
    }
}
