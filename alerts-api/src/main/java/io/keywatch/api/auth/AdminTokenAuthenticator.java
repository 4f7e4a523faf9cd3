package io.keywatch.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;

/** The bootstrap admin: {@code KEYWATCH_ADMIN_TOKEN}, compared in constant time. */
public final class AdminTokenAuthenticator implements Authenticator {

    private final byte[] expected;

    public AdminTokenAuthenticator(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("admin token must not be blank");
        }
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<Principal> authenticate(String credential) {
        return MessageDigest.isEqual(expected, credential.getBytes(StandardCharsets.UTF_8))
                ? Optional.of(Principal.bootstrapAdmin()) : Optional.empty();
    }
}
