package io.keywatch.api.tokens;

import java.time.Instant;

/**
 * A named API token as keywatch shows it: never its secret, never its hash.
 *
 * @param id                the public part of the token ({@code kw_<id>_...}), which identifies it in logs and lists
 * @param role              {@code viewer}, {@code responder} or {@code admin}
 * @param status            {@code ACTIVE}, {@code EXPIRED} or {@code REVOKED}, at the time of the answer
 * @param createdBy         the identity that created it (from its credential)
 * @param onBehalfOf        the creator's "on behalf of" note ({@code X-Keywatch-Actor}), if any
 * @param revokedOnBehalfOf the revoker's note, if any
 */
public record ApiToken(
        String id,
        String name,
        String role,
        String description,
        String status,
        String createdBy,
        String onBehalfOf,
        Instant createdAt,
        Instant expiresAt,
        Instant lastUsedAt,
        Instant revokedAt,
        String revokedBy,
        String revokedOnBehalfOf) {

    /** The identity a token's requests are attributed to. */
    public String identity() {
        return ApiTokenAuthenticator.IDENTITY_PREFIX + name;
    }
}
