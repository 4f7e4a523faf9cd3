package io.keywatch.api.db;

import io.keywatch.events.Env;
import java.util.Map;
import java.util.Objects;

/**
 * Who runs the schema migrations when it is not the API's own database user: the schema's owner
 * ({@code KEYWATCH_DB_MIGRATION_USER}, {@code KEYWATCH_DB_MIGRATION_PASSWORD}), so that the API's pool can connect
 * as a role that owns nothing ({@code KEYWATCH_DB_USER}, granted by {@code KEYWATCH_DB_APP_ROLE}).
 */
public record MigrationCredentials(String user, String password) {

    public MigrationCredentials {
        Env.requireText(user, "KEYWATCH_DB_MIGRATION_USER");
        Objects.requireNonNull(password, "KEYWATCH_DB_MIGRATION_PASSWORD");
    }

    /** Null when no migration user is set: the API migrates with its own credentials, as before. */
    public static MigrationCredentials fromEnv(Map<String, String> variables) {
        String user = Env.of(variables).text("KEYWATCH_DB_MIGRATION_USER", null);
        if (user == null) {
            String orphan = variables.get("KEYWATCH_DB_MIGRATION_PASSWORD");
            if (orphan != null && !orphan.isBlank()) {
                throw new IllegalArgumentException(
                        "KEYWATCH_DB_MIGRATION_PASSWORD is set without KEYWATCH_DB_MIGRATION_USER");
            }
            return null;
        }
        String password = variables.get("KEYWATCH_DB_MIGRATION_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("KEYWATCH_DB_MIGRATION_USER is set: set KEYWATCH_DB_MIGRATION_PASSWORD "
                    + "too (the owner's password)");
        }
        return new MigrationCredentials(user, password);
    }

    /** The password stays out of logs. */
    @Override
    public String toString() {
        return "MigrationCredentials[user=" + user + ", password=***]";
    }
}
