package io.keywatch.api.http;

import io.javalin.http.Context;
import io.keywatch.api.auth.Principal;
import java.util.Map;

/**
 * {@code GET /api/v1/me}: who the credential proves and its role, so a client (the console) shows only what the role
 * may use. The server still checks every call; this only saves people from buttons that would answer 403.
 */
public final class MeController {

    public void me(Context ctx) {
        Principal principal = Principals.of(ctx);
        ctx.json(Map.of("name", principal.identity(), "role", principal.role().label(), "kind", kind(principal)));
    }

    /** The credential's kind as the API's documentation names it. */
    static String kind(Principal principal) {
        return switch (principal.method()) {
            case "admin-token" -> "admin-token";
            case "api-token" -> "token";
            case "jwt" -> "oidc";
            default -> principal.method();
        };
    }
}
