package io.keywatch.api.audit;

import io.keywatch.api.db.RoleNames;
import io.keywatch.events.Env;
import java.util.Map;

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

    public AuditSettings {
        if (appRole != null) {
            checkedRole(appRole);
        }
    }

    public static AuditSettings fromEnv(Map<String, String> env) {
        String role = Env.of(env).text("KEYWATCH_DB_APP_ROLE", null);
        return new AuditSettings(role == null || role.isBlank() ? null : role.strip());
    }

    /** {@link RoleNames#checked}: throws unless {@code role} is a plain role name. */
    public static String checkedRole(String role) {
        return RoleNames.checked(role);
    }
}
