package io.keywatch.api.db;

import io.keywatch.api.audit.AuditSettings;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Brings the schema up to date with the versioned SQL in {@code db/migration}; the only place DDL runs. */
public final class SchemaMigrations {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrations.class);

    private SchemaMigrations() {
    }

    /** Applies pending migrations and returns how many ran. */
    public static int migrate(DataSource dataSource) {
        return migrate(dataSource, null);
    }

    /**
     * Applies pending migrations; {@code appRole} ({@code KEYWATCH_DB_APP_ROLE}, validated by
     * {@link io.keywatch.api.audit.AuditSettings}) is the role the API runs as in production: the audit trail's
     * migration grants it only INSERT and SELECT on the logs when it exists. Null or empty: no grant.
     */
    public static int migrate(DataSource dataSource, String appRole) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .placeholders(Map.of("appRole", appRole == null ? "" : AuditSettings.checkedRole(appRole)))
                .load()
                .migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied)",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
        return result.migrationsExecuted;
    }
}
