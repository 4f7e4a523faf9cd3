package io.keywatch.api.audit;

import io.keywatch.events.Env;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The audit trail's settings, from the environment. Pure: reading them touches nothing.
 *
 * @param appRole {@code KEYWATCH_DB_APP_ROLE}: the PostgreSQL role the API connects as (not the tables' owner).
 *                After every migration it is granted what the API needs and no more
 *                ({@link io.keywatch.api.db.AppRoleGrants}; the audit tables only SELECT and INSERT). Null (unset): no
 *                grant
 */
public record AuditSettings(String appRole) {

    /** A plain, unquoted PostgreSQL role name: it ends up in the migration's SQL. */
    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public AuditSettings {
        if (appRole != null) {
            checkedRole(appRole);
        }
    }

    public static AuditSettings fromEnv(Map<String, String> env) {
        String role = Env.of(env).text("KEYWATCH_DB_APP_ROLE", null);
        return new AuditSettings(role == null || role.isBlank() ? null : role.strip());
    }

    /** Throws unless {@code role} is a plain role name (lower-case letters, digits, underscores; at most 63). */
    public static String checkedRole(String role) {
        if (role.isEmpty() || ROLE.matcher(role).matches()) {
            return role;
        }
        throw new IllegalArgumentException("KEYWATCH_DB_APP_ROLE must be a plain role name (a-z, 0-9, _; at most "
                + "63 characters, not starting with a digit)");
    }
}
