package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.UnauthorizedResponse;
import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Requires {@code Authorization: Bearer <credential>} and proves whose it is with the first {@link Authenticator} that
 * recognises it; the {@link Principal} is then what the request is attributed to ({@link Principals#of}). The
 * credential is never logged. Failed attempts are counted per source address ({@link AuthThrottle}); an address over
 * its limit is answered 429 with {@code Retry-After} before its credential is looked at. The address is the
 * connection's ({@code ctx.ip()}): behind a reverse proxy every client shares the proxy's address and its limit, and
 * {@code X-Forwarded-For} is not trusted (a client could otherwise pick a fresh address per guess).
 */
public final class BearerTokenAuth implements Handler {

    private static final String PREFIX = "Bearer ";

    private final List<Authenticator> authenticators;
    private final AuthThrottle throttle;

    public BearerTokenAuth(List<Authenticator> authenticators, AuthThrottle throttle) {
        if (authenticators.isEmpty()) {
            throw new IllegalArgumentException("at least one authenticator is needed");
        }
        this.authenticators = List.copyOf(authenticators);
        this.throttle = throttle;
    }

    public BearerTokenAuth(List<Authenticator> authenticators) {
        this(authenticators, AuthThrottle.off());
    }

    @Override
    public void handle(Context ctx) {
        Optional<Principal> principal = authenticateOrThrottle(ctx);
        if (principal.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"keywatch\"");
            throw new UnauthorizedResponse("missing or invalid bearer token: send 'Authorization: Bearer <token>'");
        }
        Principals.set(ctx, principal.get());
    }

    /**
     * For routes open to everyone that tell more to an authenticated caller (the health routes): no
     * {@code Authorization} header passes without a principal; a header with a wrong credential is a 401 (and counts
     * against the address) as anywhere else.
     */
    public Handler optional() {
        return ctx -> {
            if (ctx.header("Authorization") != null) {
                handle(ctx);
            }
        };
    }

    /** 429 while the address is over its limit; a presented credential that fails counts against it. */
    private Optional<Principal> authenticateOrThrottle(Context ctx) {
        String address = ctx.ip();
        Optional<Duration> wait = throttle.refusedFor(address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            ctx.header("Retry-After", Long.toString(seconds));
            throw new TooManyRequestsResponse("too many failed authentications from this address; retry in "
                    + seconds + " s");
        }
        String header = ctx.header("Authorization");
        Optional<Principal> principal = authenticate(header);
        if (principal.isEmpty() && header != null) {
            // only presented credentials count: a probe without one is not guessing
            throttle.failed(address);
        }
        return principal;
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
