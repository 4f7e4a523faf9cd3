package io.keywatch.api.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * Who made a request, as the credential proved it: what every change is attributed to. Never what the request
 * claims about itself.
 *
 * @param identity the name changes are attributed to: {@code api:admin} for the bootstrap token, {@code token:<name>}
 *                 for a named API token, {@code oidc:<subject>} for a single-sign-on user
 * @param role     what it may do
 * @param method   how it was proved: {@code admin-token}, {@code api-token} or {@code jwt}
 * @param expiresAt when the credential stops being valid (a named token's {@code expiresAt}, a JWT's {@code exp});
 *                  null when it does not expire or is not known: what ends long-lived uses of it (the alert stream)
 */
public record Principal(String identity, Role role, String method, Instant expiresAt) {

    /** The bootstrap admin: whoever holds {@code KEYWATCH_ADMIN_TOKEN}. */
    public static final String BOOTSTRAP_IDENTITY = "api:admin";

    public Principal {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(method, "method");
    }

    /** A principal whose credential's expiry is not known. */
    public Principal(String identity, Role role, String method) {
        this(identity, role, method, null);
    }

    public static Principal bootstrapAdmin() {
        return new Principal(BOOTSTRAP_IDENTITY, Role.ADMIN, "admin-token");
    }

    public boolean may(Role required) {
        return role.includes(required);
    }
}
