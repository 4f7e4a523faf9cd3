package io.keywatch.api.http;

import io.javalin.http.ForbiddenResponse;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.Set;

/**
 * The role a route needs, declared where the route is ({@code get("/alerts", alerts::list, Access.VIEWER)}), and the
 * check that enforces it before the handler runs. A route under {@code /api/} that declares none is refused to
 * everyone: forgetting a declaration closes a route rather than opening it.
 */
public record Access(Role role) implements RouteRole {

    public static final Access VIEWER = new Access(Role.VIEWER);
    public static final Access RESPONDER = new Access(Role.RESPONDER);
    public static final Access ADMIN = new Access(Role.ADMIN);

    /** The before-matched handler: 403 when the principal's role does not include the route's. */
    public static Handler check() {
        return ctx -> {
            Role required = required(ctx.routeRoles());
            if (required == null) {
                throw new ForbiddenResponse("this route declares no role, so nobody may call it");
            }
            Principal principal = Principals.of(ctx);
            if (!principal.may(required)) {
                // not ctx.endpoint().path: in a before-matched handler that is the filter's own "/api/*"
                throw new ForbiddenResponse("this route needs the " + required.label() + " role; "
                        + principal.identity() + " has " + principal.role().label());
            }
        };
    }

    private static Role required(Set<RouteRole> roles) {
        Role required = null;
        for (RouteRole role : roles) {
            if (role instanceof Access access && (required == null || access.role().includes(required))) {
                required = access.role();
            }
        }
        return required;
    }
}
