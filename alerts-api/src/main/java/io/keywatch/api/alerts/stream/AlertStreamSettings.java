package io.keywatch.api.alerts.stream;

import io.keywatch.events.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The live alert stream ({@code GET /api/v1/alerts/stream}), from {@code KEYWATCH_SSE_*} environment variables.
 *
 * @param heartbeat       {@code KEYWATCH_SSE_HEARTBEAT_SECONDS}: a {@code : keepalive} comment after this long without
 *                        an event, so that proxies keep the connection and dead clients are found (default 15)
 * @param maxSubscribers  {@code KEYWATCH_SSE_MAX_SUBSCRIBERS}: open streams per API instance; beyond, 503 (default
 *                        64, at most {@value #MAX_SUBSCRIBERS}: each stream holds one of the server's
 *                        {@value #SERVER_THREADS} threads, and half must stay free for every other request)
 * @param maxPerPrincipal {@code KEYWATCH_SSE_MAX_PER_PRINCIPAL}: open streams per identity; a new one beyond ends the
 *                        identity's oldest stream, or is refused with 429 while that one is younger than
 *                        {@code minReplaceAge} (default 8)
 * @param replay          {@code KEYWATCH_SSE_REPLAY_HOURS}: how long changes are kept for resuming (default 24)
 * @param pollInterval    {@code KEYWATCH_SSE_POLL_MILLIS}: how often the feed is read (default 250)
 * @param maxLifetime     {@code KEYWATCH_SSE_MAX_STREAM_SECONDS}: every stream ends cleanly after this long, so the
 *                        client reconnects and its credential is checked again (default 300, 10 to 3600)
 * @param minReplaceAge   how old an identity's oldest stream must be to be ended for a new one (10 s; not a
 *                        variable): more tabs than the limit on one identity must not end each other for ever
 */
public record AlertStreamSettings(Duration heartbeat, int maxSubscribers, int maxPerPrincipal, Duration replay,
                                  Duration pollInterval, Duration maxLifetime, Duration minReplaceAge) {

    /** Under Jetty's idle timeout (30 s): a stream must write before the server gives up on it as idle. */
    static final int MAX_HEARTBEAT_SECONDS = 25;
    /** The most threads of Javalin 7's default Jetty pool (JettyServer.defaultThreadPool: 8 to 250). */
    static final int SERVER_THREADS = 250;
    /** A stream blocks one server thread while it is open: streams may take at most half of them. */
    static final int MAX_SUBSCRIBERS = SERVER_THREADS / 2;
    static final int MIN_LIFETIME_SECONDS = 10;
    static final int MAX_LIFETIME_SECONDS = 3600;
    static final int MAX_REPLAY_HOURS = 24 * 30;

    public static final AlertStreamSettings DEFAULTS = new AlertStreamSettings(Duration.ofSeconds(15), 64, 8,
            Duration.ofHours(24), Duration.ofMillis(250), Duration.ofSeconds(300), Duration.ofSeconds(10));

    public AlertStreamSettings {
        Objects.requireNonNull(heartbeat, "heartbeat");
        Objects.requireNonNull(replay, "replay");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(maxLifetime, "maxLifetime");
        Objects.requireNonNull(minReplaceAge, "minReplaceAge");
        if (heartbeat.toMillis() < 10 || heartbeat.toSeconds() > MAX_HEARTBEAT_SECONDS) {
            throw new IllegalArgumentException("KEYWATCH_SSE_HEARTBEAT_SECONDS must be from 1 to "
                    + MAX_HEARTBEAT_SECONDS + ", got " + heartbeat);
        }
        if (maxSubscribers < 1 || maxSubscribers > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("KEYWATCH_SSE_MAX_SUBSCRIBERS must be from 1 to " + MAX_SUBSCRIBERS
                    + " (each stream holds one of the server's " + SERVER_THREADS
                    + " threads; at most half may), got " + maxSubscribers);
        }
        if (maxPerPrincipal < 1 || maxPerPrincipal > maxSubscribers) {
            throw new IllegalArgumentException("KEYWATCH_SSE_MAX_PER_PRINCIPAL must be from 1 to "
                    + "KEYWATCH_SSE_MAX_SUBSCRIBERS (" + maxSubscribers + "), got " + maxPerPrincipal);
        }
        if (replay.toHours() < 1 || replay.toHours() > MAX_REPLAY_HOURS) {
            throw new IllegalArgumentException("KEYWATCH_SSE_REPLAY_HOURS must be from 1 to " + MAX_REPLAY_HOURS
                    + ", got " + replay);
        }
        if (pollInterval.toMillis() < 10 || pollInterval.toMillis() > 10_000) {
            throw new IllegalArgumentException("KEYWATCH_SSE_POLL_MILLIS must be from 10 to 10000, got "
                    + pollInterval.toMillis());
        }
        // shorter than the variable allows only for tests
        if (maxLifetime.toMillis() < 100 || maxLifetime.toSeconds() > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("KEYWATCH_SSE_MAX_STREAM_SECONDS must be from " + MIN_LIFETIME_SECONDS
                    + " to " + MAX_LIFETIME_SECONDS + ", got " + maxLifetime);
        }
        if (minReplaceAge.isNegative()) {
            throw new IllegalArgumentException("minReplaceAge must not be negative, got " + minReplaceAge);
        }
    }

    /** Settings from the environment; anything unset keeps its default; a bad value names its variable. */
    public static AlertStreamSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        int maxSubscribers = env.integer("KEYWATCH_SSE_MAX_SUBSCRIBERS", DEFAULTS.maxSubscribers, 1, Integer.MAX_VALUE);
        if (maxSubscribers > MAX_SUBSCRIBERS) {
            throw new IllegalArgumentException("KEYWATCH_SSE_MAX_SUBSCRIBERS is " + maxSubscribers + ", but each "
                    + "stream holds one of the server's " + SERVER_THREADS + " threads while it is open: at most "
                    + MAX_SUBSCRIBERS + " (half of them) may be streams");
        }
        return new AlertStreamSettings(
                Duration.ofSeconds(env.integer("KEYWATCH_SSE_HEARTBEAT_SECONDS",
                        (int) DEFAULTS.heartbeat.toSeconds(), 1, MAX_HEARTBEAT_SECONDS)),
                maxSubscribers,
                env.integer("KEYWATCH_SSE_MAX_PER_PRINCIPAL", Math.min(DEFAULTS.maxPerPrincipal, maxSubscribers), 1,
                        maxSubscribers),
                Duration.ofHours(env.integer("KEYWATCH_SSE_REPLAY_HOURS", (int) DEFAULTS.replay.toHours(), 1,
                        MAX_REPLAY_HOURS)),
                Duration.ofMillis(env.integer("KEYWATCH_SSE_POLL_MILLIS", (int) DEFAULTS.pollInterval.toMillis(), 10,
                        10_000)),
                Duration.ofSeconds(env.integer("KEYWATCH_SSE_MAX_STREAM_SECONDS",
                        (int) DEFAULTS.maxLifetime.toSeconds(), MIN_LIFETIME_SECONDS, MAX_LIFETIME_SECONDS)),
                DEFAULTS.minReplaceAge);
    }

    public AlertStreamSettings withHeartbeat(Duration newHeartbeat) {
        return new AlertStreamSettings(newHeartbeat, maxSubscribers, maxPerPrincipal, replay, pollInterval,
                maxLifetime, minReplaceAge);
    }

    public AlertStreamSettings withPollInterval(Duration newPollInterval) {
        return new AlertStreamSettings(heartbeat, maxSubscribers, maxPerPrincipal, replay, newPollInterval,
                maxLifetime, minReplaceAge);
    }

    public AlertStreamSettings withLimits(int newMaxSubscribers, int newMaxPerPrincipal) {
        return new AlertStreamSettings(heartbeat, newMaxSubscribers, newMaxPerPrincipal, replay, pollInterval,
                maxLifetime, minReplaceAge);
    }

    public AlertStreamSettings withLifetime(Duration newMaxLifetime, Duration newMinReplaceAge) {
        return new AlertStreamSettings(heartbeat, maxSubscribers, maxPerPrincipal, replay, pollInterval,
                newMaxLifetime, newMinReplaceAge);
    }
}
