package io.keywatch.api.auth;

import java.util.Objects;

/**
 * Everything a change is attributed to: the authenticated principal, and what the request adds beside it (never
 * instead of it).
 *
 * @param principal     who the credential proved
 * @param onBehalfOf    a note naming the person a shared credential acted for ({@code X-Keywatch-Actor}); null
 *                      without one. Stored beside the identity, never as it
 * @param sourceAddress the client's address as the API saw it
 * @param requestId     the request's id ({@code X-Request-Id}, or one the API made), answered in the same header
 */
public record Actor(Principal principal, String onBehalfOf, String sourceAddress, String requestId) {

    public Actor {
        Objects.requireNonNull(principal, "principal");
    }

    /** The name the change is attributed to: always the principal's identity. */
    public String identity() {
        return principal.identity();
    }

    public Role role() {
        return principal.role();
    }

    /** The same request with this "on behalf of" note (null: none). */
    public Actor withOnBehalfOf(String note) {
        return new Actor(principal, note, sourceAddress, requestId);
    }
}
