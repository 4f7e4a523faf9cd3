package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The browser-facing headers on every answer, the console's files and the API's JSON alike (harmless on JSON, and one
 * rule is easier to keep than two): no inline script or style and nothing from another origin (the console renders
 * attacker-written strings: key ids, paths, user agents, notes), no framing, no MIME sniffing, no referrer. The one
 * exception: with the console's SSO sign-in on, {@code connect-src} also names the origin of the issuer's token
 * endpoint, where the console trades the authorization code for a token.
 */
public final class SecurityHeaders implements Handler {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    static final Map<String, String> HEADERS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "X-Frame-Options", "DENY");

    private final Supplier<Optional<String>> tokenOrigin;

    /** The strict policy, nothing from another origin. */
    public SecurityHeaders() {
        this(Optional::empty);
    }

    /** The strict policy, but {@code connect-src} also allows the origin {@code tokenOrigin} gives when present. */
    public SecurityHeaders(Supplier<Optional<String>> tokenOrigin) {
        this.tokenOrigin = tokenOrigin;
    }

    @Override
    public void handle(Context ctx) {
        HEADERS.forEach(ctx::header);
        tokenOrigin.get().ifPresent(origin -> ctx.header("Content-Security-Policy",
                CONTENT_SECURITY_POLICY.replace("connect-src 'self';", "connect-src 'self' " + origin + ";")));
    }
}
