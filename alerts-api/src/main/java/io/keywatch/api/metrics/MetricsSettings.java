package io.keywatch.api.metrics;

import io.keywatch.events.Env;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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
    private static final String BEARER = "Bearer ";

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

    /**
     * Whether a scrape with this {@code Authorization} header (null: none) may read the metrics: always without a
     * token; else only with {@code Bearer <token>}, compared in constant time (a comparison must not tell how much of
     * a guess was right).
     */
    public boolean authorizes(String authorization) {
        if (token == null) {
            return true;
        }
        // the scheme in any case (RFC 9110); the credential compared as SHA-256 digests, so the comparison's time
        // tells nothing of the token's length either
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        return MessageDigest.isEqual(sha256(token.getBytes(StandardCharsets.US_ASCII)),
                sha256(authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "MetricsSettings[enabled=" + enabled + ", token=" + (token == null ? "none" : "set") + "]";
    }
}
