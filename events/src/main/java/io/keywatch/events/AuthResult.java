package io.keywatch.events;

/** How the service that saw the request judged the presented credential. */
public enum AuthResult {
    OK,
    INVALID_SECRET,
    EXPIRED,
    REVOKED,
    SCOPE_DENIED,
    RATE_LIMITED;

    /** True where the credential itself failed to authenticate (what brute force looks like). */
    public boolean isCredentialFailure() {
        return this == INVALID_SECRET;
    }
}
