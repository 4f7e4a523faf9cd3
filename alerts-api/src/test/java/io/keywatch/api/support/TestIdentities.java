package io.keywatch.api.support;

import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.util.Map;
import java.util.Optional;

/**
 * Distinct identities for tests, until named tokens exist: {@code <name>-token} proves {@code <name>} with the role
 * given here (alice, bob and carol are admins, rita a responder, vic a viewer).
 */
public final class TestIdentities implements Authenticator {

    private static final Map<String, Principal> BY_TOKEN = Map.of(
            "alice-token", new Principal("alice", Role.ADMIN, "test-token"),
            "bob-token", new Principal("bob", Role.ADMIN, "test-token"),
            "carol-token", new Principal("carol", Role.ADMIN, "test-token"),
            "rita-token", new Principal("rita", Role.RESPONDER, "test-token"),
            "vic-token", new Principal("vic", Role.VIEWER, "test-token"));

    @Override
    public Optional<Principal> authenticate(String credential) {
        return Optional.ofNullable(BY_TOKEN.get(credential));
    }

    /** The token of the named test identity. */
    public static String token(String name) {
        return name + "-token";
    }
}
