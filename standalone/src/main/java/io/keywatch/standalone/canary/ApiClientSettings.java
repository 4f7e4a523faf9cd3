package io.keywatch.standalone.canary;

import io.keywatch.events.Env;
import java.net.URI;
import java.util.Locale;
import java.util.Map;

/**
 * Where a command finds keywatch's API and how it signs in: {@code KEYWATCH_API_URL} (default
 * {@code http://localhost:8080}) and {@code KEYWATCH_API_TOKEN} (required, never shown).
 */
record ApiClientSettings(URI baseUrl, String token) {

    static final String DEFAULT_URL = "http://localhost:8080";

    static ApiClientSettings fromEnv(Map<String, String> variables) {
        Env env = Env.of(variables);
        URI url = env.read("KEYWATCH_API_URL", URI.create(DEFAULT_URL), ApiClientSettings::httpUrl,
                "an http:// or https:// URL such as " + DEFAULT_URL);
        String token = env.secret("KEYWATCH_API_TOKEN", null, value -> value, "an API token");
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("KEYWATCH_API_TOKEN must be set to an admin token of the API");
        }
        return new ApiClientSettings(url, token);
    }

    private static URI httpUrl(String text) {
        URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http(s) URL with a host");
        }
        return uri;
    }
}
