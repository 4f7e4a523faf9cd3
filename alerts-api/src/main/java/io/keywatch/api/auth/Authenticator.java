package io.keywatch.api.auth;

import java.util.Optional;

/**
 * One way of proving who a bearer credential belongs to (the bootstrap admin token, named API tokens, OIDC JWTs).
 * The API tries them in order; the first that recognises the credential decides.
 */
public interface Authenticator {

    /**
     * @param credential the bearer credential as presented, never logged
     * @return the principal when this authenticator recognises and accepts the credential; empty otherwise (not its
     *         kind, or its kind but not valid: unknown, expired, revoked, a bad signature)
     */
    Optional<Principal> authenticate(String credential);
}
