package io.keywatch.api.tokens;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;

/**
 * How long named API tokens live, from the environment.
 *
 * @param defaultDays {@code KEYWATCH_TOKEN_DEFAULT_DAYS}: a token created without {@code expiresInDays} (default 90:
 *                    keywatch follows the rotation advice it gives about keys)
 * @param maxDays     {@code KEYWATCH_TOKEN_MAX_DAYS}: the longest a token may be asked to live (default 366)
 */
public record TokenSettings(int defaultDays, int maxDays) {

    public static final int DEFAULT_DAYS = 90;
    public static final int DEFAULT_MAX_DAYS = 366;
    /** Ten years: anything longer is a unit mistake, and an expiry nobody will see. */
    static final int LIMIT_DAYS = 3_660;
    public static final TokenSettings DEFAULTS = new TokenSettings(DEFAULT_DAYS, DEFAULT_MAX_DAYS);

    public TokenSettings {
        if (maxDays < 1 || maxDays > LIMIT_DAYS) {
            throw new IllegalArgumentException("KEYWATCH_TOKEN_MAX_DAYS must be between 1 and " + LIMIT_DAYS
                    + ", got " + maxDays);
        }
        if (defaultDays < 1 || defaultDays > maxDays) {
            throw new IllegalArgumentException("KEYWATCH_TOKEN_DEFAULT_DAYS must be between 1 and "
                    + "KEYWATCH_TOKEN_MAX_DAYS (" + maxDays + "), got " + defaultDays);
        }
    }

    public static TokenSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new TokenSettings(env.integer("KEYWATCH_TOKEN_DEFAULT_DAYS", DEFAULT_DAYS, 1, LIMIT_DAYS),
                env.integer("KEYWATCH_TOKEN_MAX_DAYS", DEFAULT_MAX_DAYS, 1, LIMIT_DAYS));
    }

    public Duration defaultLifetime() {
        return Duration.ofDays(defaultDays);
    }
}
