package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;

/**
 * The browser-facing headers on every answer, the console's files and the API's JSON alike (harmless on JSON, and one
 * rule is easier to keep than two): no inline script or style and nothing from another origin (the console renders
 * attacker-written strings: key ids, paths, user agents, notes), no framing, no MIME sniffing, no referrer.
 */
public final class SecurityHeaders implements Handler {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    @Override
    public void handle(Context ctx) {
        HEADERS.forEach(ctx::header);
    }
}
