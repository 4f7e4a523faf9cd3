package io.keywatch.api.metrics;

import io.keywatch.events.Env;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Whether and how {@code /metrics} is served (README: Metrics), from {@code KEYWATCH_METRICS_*} variables.
 *
 * @param enabled {@code KEYWATCH_METRICS_ENABLED}: serve Prometheus metrics on {@code /metrics} of the API's port
 *                (default true)
 * @param token   {@code KEYWATCH_METRICS_TOKEN}: when set, a scrape must send {@code Authorization: Bearer <token>}
 *                (Prometheus' {@code authorization} scrape setting); null: the route is open, like {@code /health}
 */
public record MetricsSettings(boolean enabled, String token) {

    /** A scrape token shorter than this is refused: it would be guessable. */
    public static final int MIN_TOKEN_CHARS = 16;
    public static final MetricsSettings DEFAULTS = new MetricsSettings(true, null);

    public MetricsSettings {
        if (token != null && token.length() < MIN_TOKEN_CHARS) {
            // never the token in the message
            throw new IllegalArgumentException("KEYWATCH_METRICS_TOKEN must be at least " + MIN_TOKEN_CHARS
                    + " characters");
        }
    }

    public static MetricsSettings fromEnv(Map<String, String> variables) {
        Env env = Env.strict(variables);
        return new MetricsSettings(env.bool("KEYWATCH_METRICS_ENABLED", true),
                env.secret("KEYWATCH_METRICS_TOKEN", null, MetricsSettings::token,
                        "at least " + MIN_TOKEN_CHARS + " printable ASCII characters"));
    }

    private static String token(String raw) {
        if (raw.length() < MIN_TOKEN_CHARS) {
            throw new IllegalArgumentException("too short");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new IllegalArgumentException("not printable ASCII");
            }
        }
        return raw;
    }

    /** The token's bytes, for a constant-time comparison; null when none is set. */
    byte[] tokenBytes() {
        return token == null ? null : token.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "MetricsSettings[enabled=" + enabled + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
