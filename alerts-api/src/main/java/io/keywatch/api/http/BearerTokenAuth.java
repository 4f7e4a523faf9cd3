package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.UnauthorizedResponse;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import java.util.List;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <credential>} and proves whose it is with the first {@link Authenticator} that
 * recognises it; the {@link Principal} is then what the request is attributed to ({@link Principals#of}). The
 * credential is never logged.
 */
public final class BearerTokenAuth implements Handler {

    private static final String PREFIX = "Bearer ";

    private final List<Authenticator> authenticators;

    public BearerTokenAuth(List<Authenticator> authenticators) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator is needed");
        }
        this.authenticators = List.copyOf(authenticators);
    }

    @Override
    public void handle(Context ctx) {
        Optional<Principal> principal = authenticate(ctx.header("Authorization"));
        if (principal.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"keywatch\"");
            throw new UnauthorizedResponse("missing or invalid bearer token: send 'Authorization: Bearer <token>'");
        }
        Principals.set(ctx, principal.get());
    }

    Optional<Principal> authenticate(String header) {
        if (header == null || header.length() <= PREFIX.length()
                || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Optional.empty();
        }
        String credential = header.substring(PREFIX.length()).strip();
        if (credential.isEmpty()) {
            return Optional.empty();
        }
        for (Authenticator authenticator : authenticators) {
            Optional<Principal> principal = authenticator.authenticate(credential);
            if (principal.isPresent()) {
                return principal;
            }
        }
        return Optional.empty();
    }
}
