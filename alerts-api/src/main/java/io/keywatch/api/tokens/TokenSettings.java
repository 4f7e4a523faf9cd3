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
 * @param cacheMs     {@code KEYWATCH_TOKEN_CACHE_MS}: how long a token row read for authentication is used again
 *                    (default 1,000; 0: read on every request); a token revoked through another instance is refused
 *                    within it
 */
public record TokenSettings(int defaultDays, int maxDays, int cacheMs) {

    public static final int DEFAULT_DAYS = 90;
    public static final int DEFAULT_MAX_DAYS = 366;
    /** Ten years: anything longer is a unit mistake, and an expiry nobody will see. */
    static final int LIMIT_DAYS = 3_660;
    public static final int DEFAULT_CACHE_MS = 1_000;
    /** A minute: a revoked token must not work on for longer. */
    static final int MAX_CACHE_MS = 60_000;
    public static final TokenSettings DEFAULTS = new TokenSettings(DEFAULT_DAYS, DEFAULT_MAX_DAYS, DEFAULT_CACHE_MS);

    public TokenSettings {
        if (maxDays < 1 || maxDays > LIMIT_DAYS) {
            throw new IllegalArgumentException("KEYWATCH_TOKEN_MAX_DAYS must be between 1 and " + LIMIT_DAYS
                    + ", got " + maxDays);
        }
        if (defaultDays < 1 || defaultDays > maxDays) {
            throw new IllegalArgumentException("KEYWATCH_TOKEN_DEFAULT_DAYS must be between 1 and "
                    + "KEYWATCH_TOKEN_MAX_DAYS (" + maxDays + "), got " + defaultDays);
        }
        if (cacheMs < 0 || cacheMs > MAX_CACHE_MS) {
            throw new IllegalArgumentException("KEYWATCH_TOKEN_CACHE_MS must be between 0 and " + MAX_CACHE_MS
                    + ", got " + cacheMs);
        }
    }

    public static TokenSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        return new TokenSettings(env.integer("KEYWATCH_TOKEN_DEFAULT_DAYS", DEFAULT_DAYS, 1, LIMIT_DAYS),
                env.integer("KEYWATCH_TOKEN_MAX_DAYS", DEFAULT_MAX_DAYS, 1, LIMIT_DAYS),
                env.integer("KEYWATCH_TOKEN_CACHE_MS", DEFAULT_CACHE_MS, 0, MAX_CACHE_MS));
    }

    public Duration cache() {
        return Duration.ofMillis(cacheMs);
    }

    public Duration defaultLifetime() {
        return Duration.ofDays(defaultDays);
    }
}
