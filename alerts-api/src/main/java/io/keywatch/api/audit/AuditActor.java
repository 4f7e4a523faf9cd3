package io.keywatch.api.audit;

import io.keywatch.api.auth.Actor;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.Objects;

/**
 * Who an audit entry attributes a change to.
 *
 * @param identity      the authenticated identity, or keywatch itself ({@code system}, {@code policy:<RULE>})
 * @param role          the identity's role ({@code viewer}, {@code responder}, {@code admin}); null for keywatch itself
 * @param method        how the identity was proved ({@code admin-token}, {@code api-token}, {@code jwt}), or
 *                      {@value #SYSTEM_METHOD} for keywatch itself
 * @param onBehalfOf    the caller's "on behalf of" note, beside the identity; null without one
 * @param sourceAddress the client's address; null for keywatch itself
 * @param requestId     the request's id; null for keywatch itself
 */
public record AuditActor(String identity, String role, String method, String onBehalfOf, String sourceAddress,
                         String requestId) {

    public static final String SYSTEM_METHOD = "system";

    public AuditActor {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(method, "method");
    }

    /** The attribution of an API request ({@code Actors.context(ctx)}). */
    public static AuditActor of(Actor actor) {
        Principal principal = actor.principal();
        boolean keywatch = SYSTEM_METHOD.equals(principal.method());
        return new AuditActor(principal.identity(), keywatch ? null : principal.role().label(), principal.method(),
                actor.onBehalfOf(), actor.sourceAddress(), actor.requestId());
    }

    /**
     * keywatch acting on its own ({@code system}, {@code policy:<RULE>}), as an {@link Actor} for code paths that
     * take one: its method is {@value #SYSTEM_METHOD}, which the trail records without a role.
     */
    public static Actor keywatch(String identity) {
        return new Actor(new Principal(identity, Role.ADMIN, SYSTEM_METHOD), null, null, null);
    }
}
