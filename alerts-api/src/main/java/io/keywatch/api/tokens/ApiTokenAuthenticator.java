package io.keywatch.api.tokens;

import io.keywatch.api.auth.Authenticator;
import io.keywatch.api.auth.Principal;
import io.keywatch.api.auth.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Proves a named API token ({@code kw_<id>_<secret>}): the row by its id, the secret by its hash in constant time,
 * not revoked, not expired. An unknown, wrong, expired or revoked token is the same empty answer (a 401 that does
 * not say which). Its principal is {@code token:<name>} with the token's role, method {@code api-token}.
 */
public final class ApiTokenAuthenticator implements Authenticator {

    public static final String IDENTITY_PREFIX = "token:";
    public static final String METHOD = "api-token";
    /** lastUsedAt is written at most this often per token, not on every request. */
    static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

    private final ApiTokenStore store;
    private final Clock clock;

    public ApiTokenAuthenticator(ApiTokenStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<Principal> authenticate(String credential) {
        Optional<TokenSecrets.Parsed> parsed = TokenSecrets.parse(credential);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        Optional<ApiTokenStore.Credential> row = store.credential(parsed.get().id());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        ApiTokenStore.Credential token = row.get();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (!TokenSecrets.matches(parsed.get().secret(), token.secretHash()) || token.revokedAt() != null
                || !token.expiresAt().isAfter(now)) {
            return Optional.empty();
        }
        Instant stale = now.minus(LAST_USED_GRANULARITY);
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(stale)) {
            store.touch(token.id(), now, stale);
        }
        return Optional.of(new Principal(IDENTITY_PREFIX + token.name(), Role.parse(token.role()), METHOD,
                token.expiresAt()));
    }
}
