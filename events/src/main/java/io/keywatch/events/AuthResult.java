package io.keywatch.events;

/** How the service that saw the request judged the presented credential. */
public enum AuthResult implements StoredCode {
    OK(0),
    INVALID_SECRET(1),
    EXPIRED(2),
    REVOKED(3),
    SCOPE_DENIED(4),
    RATE_LIMITED(5);

    private static final StoredCodes<AuthResult> CODES = StoredCodes.of(values());

    private final int code;

    AuthResult(int code) {
        this.code = code;
    }

    /** The stored code: what state stores and changelogs hold for this constant; never changes once released. */
    @Override
    public int code() {
        return code;
    }

    /** The constant stored as {@code code}, or null for a code this build does not know. */
    public static AuthResult fromCode(int code) {
        return CODES.fromCode(code);
    }

    /** One more than the highest code: the length of an array indexed by code. */
    public static int codeCount() {
        return CODES.size();
    }

    /** True where the credential itself failed to authenticate (what brute force looks like). */
    public boolean isCredentialFailure() {
        return this == INVALID_SECRET;
    }
}
