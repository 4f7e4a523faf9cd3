package io.keywatch.api.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.Optional;

/** The authenticated {@link Principal} of a request, as {@link BearerTokenAuth} put it there. */
public final class Principals {

    private static final String ATTRIBUTE = "keywatch.principal";

    private Principals() {
    }

    static void set(Context ctx, Principal principal) {
        ctx.attribute(ATTRIBUTE, principal);
    }

    /** The principal when the request carried a valid credential; empty on a route where one is optional. */
    public static Optional<Principal> find(Context ctx) {
        return Optional.ofNullable(ctx.attribute(ATTRIBUTE));
    }

    /**
     * @throws IllegalStateException when the route is not behind authentication: a wiring bug, never the caller's
     */
    public static Principal of(Context ctx) {
        Principal principal = ctx.attribute(ATTRIBUTE);
        if (principal == null) {
            throw new IllegalStateException("no authenticated principal on " + ctx.path());
        }
        return principal;
    }

    /** For checks that depend on the request's content (e.g. a rule-wide silence needs admin): 403 below it. */
    public static Principal require(Context ctx, Role role, String what) {
        Principal principal = of(ctx);
        if (!principal.may(role)) {
            throw new ForbiddenResponse(what + " needs the " + role.label() + " role; " + principal.identity()
                    + " has " + principal.role().label());
        }
        return principal;
    }
}
