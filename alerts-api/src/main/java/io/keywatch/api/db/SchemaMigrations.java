package io.keywatch.api.db;

import java.util.List;
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
     * Applies pending migrations as the schema's owner ({@code dataSource}); {@code appRole}
     * ({@code KEYWATCH_DB_APP_ROLE}, validated by {@link RoleNames}) is the role the API
     * runs as: after every migration it gets only what it needs on every table ({@link AppRoleGrants}). Null or
     * empty: no grant (the API then runs as the owner).
     */
    public static int migrate(DataSource dataSource, String appRole) {
        return migrate(dataSource, appRole, List.of("classpath:db/migration"));
    }

    /** With other migration locations (tests: a table a later migration adds). */
    static int migrate(DataSource dataSource, String appRole, List<String> locations) {
        MigrateResult result = Flyway.configure()
                .dataSource(dataSource)
                .locations(locations.toArray(String[]::new))
                .placeholders(Map.of("appRole", appRole == null ? "" : RoleNames.checked(appRole)))
                .load()
                .migrate();
        LOG.info("Database schema at version {} ({} migration(s) applied)",
                result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion,
                result.migrationsExecuted);
        if (appRole != null && !appRole.isEmpty()) {
            AppRoleGrants.apply(dataSource, appRole);
        }
        return result.migrationsExecuted;
    }
}
