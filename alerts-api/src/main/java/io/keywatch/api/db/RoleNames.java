package io.keywatch.api.db;

import java.util.regex.Pattern;

/**
 * The one check of a PostgreSQL role name keywatch puts into SQL ({@code KEYWATCH_DB_APP_ROLE}, granted to by
 * {@link AppRoleGrants} and the migrations): role names cannot be bound as parameters, so only plain names pass.
 */
public final class RoleNames {

    private static final Pattern ROLE = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private RoleNames() {
    }

    /** Throws unless {@code role} is a plain role name (lower-case letters, digits, underscores; at most 63). */
    public static String checked(String role) {
        if (role.isEmpty() || ROLE.matcher(role).matches()) {
            return role;
        }
        throw new IllegalArgumentException("KEYWATCH_DB_APP_ROLE must be a plain role name (a-z, 0-9, _; at most "
                + "63 characters, not starting with a digit)");
    }
}
