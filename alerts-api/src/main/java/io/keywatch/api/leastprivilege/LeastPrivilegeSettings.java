package io.keywatch.api.leastprivilege;

import io.keywatch.events.Env;
import java.util.Map;

/**
 * The least-privilege report, from the environment.
 *
 * @param defaultDays {@code KEYWATCH_LEAST_PRIVILEGE_DAYS}: the window when a request gives no {@code days}
 *                    (default 30, 1 to 365): a scope unused that long is reported
 */
public record LeastPrivilegeSettings(int defaultDays) {

    public static final LeastPrivilegeSettings DEFAULTS = new LeastPrivilegeSettings(30);

    public LeastPrivilegeSettings {
        if (defaultDays < LeastPrivilegeQuery.MIN_DAYS || defaultDays > LeastPrivilegeQuery.MAX_DAYS) {
            throw new IllegalArgumentException("KEYWATCH_LEAST_PRIVILEGE_DAYS must be from "
                    + LeastPrivilegeQuery.MIN_DAYS + " to " + LeastPrivilegeQuery.MAX_DAYS + ", got " + defaultDays);
        }
    }

    /** Anything unset keeps its default; a bad value names its variable. */
    public static LeastPrivilegeSettings fromEnv(Map<String, String> variables) {
        return new LeastPrivilegeSettings(Env.strict(variables).integer("KEYWATCH_LEAST_PRIVILEGE_DAYS",
                DEFAULTS.defaultDays, LeastPrivilegeQuery.MIN_DAYS, LeastPrivilegeQuery.MAX_DAYS));
    }
}
