package io.keywatch.api.tokens;

import io.keywatch.api.auth.Actor;
import io.keywatch.api.auth.Role;
import io.keywatch.events.secrets.SecretDetector;
import io.keywatch.events.secrets.SecretFormat;
import io.keywatch.events.secrets.SecretText;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** Issuing, listing and revoking named API tokens (the HTTP edge is {@link ApiTokenController}). */
public final class ApiTokens {

    public static final int MAX_NAME = 64;
    public static final int MAX_DESCRIPTION = 500;
    static final int LIST_LIMIT = 500;
    /** A name becomes the identity {@code token:<name>} in every record: plain, short, no separators to confuse. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0," + (MAX_NAME - 1) + "}");
    /** Stateless: shared. */
    private static final SecretText SECRETS = new SecretText(new SecretDetector());
    private static final int ID_ATTEMPTS = 5;

    private final ApiTokenStore store;
    private final TokenSecrets secrets;
    private final TokenSettings settings;
    private final Clock clock;

    public ApiTokens(ApiTokenStore store, TokenSecrets secrets, TokenSettings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new token and the one time its whole value is known. */
    public record Issued(ApiToken token, String value) {
        @Override
        public String toString() {
            return "Issued[token=" + token + ", value=***]";
        }
    }

    /** A request that cannot be fulfilled as asked; {@code field} names what to change. */
    public static final class InvalidTokenRequest extends RuntimeException {
        private final String field;
        private final boolean conflict;

        InvalidTokenRequest(String field, String message, boolean conflict) {
            super(field + ": " + message, null, false, false);
            this.field = field;
            this.conflict = conflict;
        }

        public String field() {
            return field;
        }

        /** True when the request is well-formed but clashes with what exists (a taken name): a 409. */
        public boolean conflict() {
            return conflict;
        }
    }

    /**
     * @param expiresInDays null for the default lifetime
     * @throws InvalidTokenRequest naming the field
     */
    public Issued issue(String name, Role role, Integer expiresInDays, String description, Actor by) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidTokenRequest("name", "1 to " + MAX_NAME + " characters of letters, digits and . _ -, "
                    + "starting with a letter or digit", false);
        }
        // the name is printed as token:<name> in every log line, audit entry and record the token makes
        SecretFormat nameFormat = SECRETS.firstSecret(name);
        if (nameFormat != null) {
            throw new InvalidTokenRequest("name", "looks like a secret (" + nameFormat.label() + "); a token's name is "
                    + "shown in every record it makes", false);
        }
        Objects.requireNonNull(role, "role");
        int days = expiresInDays == null ? settings.defaultDays() : expiresInDays;
        if (days < 1 || days > settings.maxDays()) {
            throw new InvalidTokenRequest("expiresInDays", "must be between 1 and " + settings.maxDays()
                    + " (KEYWATCH_TOKEN_MAX_DAYS), got " + days, false);
        }
        Instant now = now();
        Instant expiresAt = now.plus(Duration.ofDays(days));
        String secret = secrets.newSecret();
        byte[] hash = TokenSecrets.hash(secret);
        for (int attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
            String id = secrets.newId();
            boolean stored;
            try {
                stored = store.insert(new ApiTokenStore.NewToken(id, name, role.label(), description, hash,
                        by.identity(), by.onBehalfOf(), now, expiresAt), by);
            } catch (ApiTokenStore.NameTakenException e) {
                throw new InvalidTokenRequest("name", "a token with this name exists (names are unique, revoked "
                        + "tokens' included, regardless of case)", true);
            }
            if (stored) {
                return new Issued(store.find(id, now).orElseThrow(), TokenSecrets.format(id, secret));
            }
        }
        // 36^8 ids: five collisions in a row mean the random source is broken, not bad luck
        throw new IllegalStateException("could not draw an unused token id in " + ID_ATTEMPTS + " attempts");
    }

    public List<ApiToken> list() {
        return store.list(now(), LIST_LIMIT);
    }

    public Optional<ApiToken> find(String id) {
        return store.find(id, now());
    }

    /** Revokes the token (idempotent: a revoked token keeps who revoked it first); empty when there is none. */
    public Optional<ApiToken> revoke(String id, Actor by) {
        Instant now = now();
        return store.revoke(id, by, now) ? store.find(id, now) : Optional.empty();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
