package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/** Requires {@code Authorization: Bearer <token>}. The token is compared in constant time and never logged. */
public final class BearerTokenAuth implements Handler {

    private static final String PREFIX = "Bearer ";

    private final byte[] expected;

    public BearerTokenAuth(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("admin token must not be blank");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(Context ctx) {
        if (!isAuthorized(ctx.header("Authorization"))) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"keywatch\"");
            throw new UnauthorizedResponse("missing or invalid bearer token: send 'Authorization: Bearer <token>'");
        }
    }

    boolean isAuthorized(String header) {
        if (header == null || header.length() < PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        byte[] presented = header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented);
    }
}
