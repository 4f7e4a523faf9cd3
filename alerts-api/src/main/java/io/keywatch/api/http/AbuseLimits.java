package io.keywatch.api.http;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;

/**
 * Limits that keep one caller from wearing the API down or switching it off quietly.
 *
 * @param authFailuresPerMinute {@code KEYWATCH_AUTH_FAILURES_PER_MINUTE} (default 10; 0 turns throttling off): failed
 *                              authentications one source address may make in a minute before it is answered 429
 * @param trackedAddresses      how many source addresses the throttle remembers at most (least recently failing
 *                              forgotten first): its memory stays bounded whatever an attacker sprays
 * @param silenceMax            {@code KEYWATCH_SILENCE_MAX_DAYS} (default 7): the longest a silence may run
 */
public record AbuseLimits(int authFailuresPerMinute, int trackedAddresses, Duration silenceMax) {

    public static final int DEFAULT_AUTH_FAILURES_PER_MINUTE = 10;
    public static final int DEFAULT_TRACKED_ADDRESSES = 10_000;
    public static final Duration DEFAULT_SILENCE_MAX = Duration.ofDays(7);
    static final int MAX_SILENCE_DAYS = 366;
    public static final AbuseLimits DEFAULTS =
            new AbuseLimits(DEFAULT_AUTH_FAILURES_PER_MINUTE, DEFAULT_TRACKED_ADDRESSES, DEFAULT_SILENCE_MAX);

    public AbuseLimits {
        if (authFailuresPerMinute < 0) {
            throw new IllegalArgumentException("KEYWATCH_AUTH_FAILURES_PER_MINUTE must not be negative");
        }
        if (trackedAddresses < 1) {
            throw new IllegalArgumentException("trackedAddresses must be positive");
        }
        if (silenceMax == null || silenceMax.isNegative() || silenceMax.isZero()) {
            throw new IllegalArgumentException("KEYWATCH_SILENCE_MAX_DAYS must be positive");
        }
    }

    public static AbuseLimits fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        return new AbuseLimits(
                env.integer("KEYWATCH_AUTH_FAILURES_PER_MINUTE", DEFAULT_AUTH_FAILURES_PER_MINUTE, 0, 1_000_000),
                DEFAULT_TRACKED_ADDRESSES,
                Duration.ofDays(env.integer("KEYWATCH_SILENCE_MAX_DAYS", 7, 1, MAX_SILENCE_DAYS)));
    }

    public AbuseLimits withAuthFailuresPerMinute(int failures) {
        return new AbuseLimits(failures, trackedAddresses, silenceMax);
    }

    public AbuseLimits withTrackedAddresses(int addresses) {
        return new AbuseLimits(authFailuresPerMinute, addresses, silenceMax);
    }

    public AbuseLimits withSilenceMax(Duration max) {
        return new AbuseLimits(authFailuresPerMinute, trackedAddresses, max);
    }
}
