package io.keywatch.api.tokens;

import static io.keywatch.api.db.Columns.instant;

import io.keywatch.api.audit.AuditEntry;
import io.keywatch.api.audit.AuditTrail;
import io.keywatch.api.auth.Actor;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Named API tokens in PostgreSQL: only the hash of a secret, rows kept after revocation. */
public final class ApiTokenStore {

    private static final String COLUMNS = """
            id, name, role, description,
            CASE WHEN revoked_at IS NOT NULL THEN 'REVOKED' WHEN expires_at <= :now THEN 'EXPIRED' ELSE 'ACTIVE' END
                AS status,
            created_by, created_on_behalf_of AS on_behalf_of, created_at, expires_at, last_used_at,
            revoked_at, revoked_by, revoked_on_behalf_of
            """;

    /** What authentication needs of a token row: never shown to anyone. */
    record Credential(String id, String name, String role, byte[] secretHash, Instant expiresAt,
                      Instant revokedAt, Instant lastUsedAt) {
    }

    /** A new row; {@code secretHash} is SHA-256 of the secret. */
    record NewToken(String id, String name, String role, String description, byte[] secretHash, String createdBy,
                    String onBehalfOf, Instant createdAt, Instant expiresAt) {
    }

    private final Jdbi jdbi;
    private final CredentialCache credentials;

    public ApiTokenStore(Jdbi jdbi) {
        this(jdbi, CredentialCache.none());
    }

    /** With the token rows read in the last {@code settings.cache()} kept for authentication. */
    public ApiTokenStore(Jdbi jdbi, TokenSettings settings, Clock clock) {
        this(jdbi, new CredentialCache(settings.cache(), clock));
    }

    ApiTokenStore(Jdbi jdbi, CredentialCache credentials) {
        this.jdbi = jdbi;
        this.credentials = credentials;
    }

    /** @return false when the id is taken (the caller draws another); a taken name throws {@link NameTakenException} */
    boolean insert(NewToken token, Actor by) {
        try {
            return tryInsert(token, by);
        } catch (UnableToExecuteStatementException e) {
            // the unique index decides when two requests race for one name
            if (e.getCause() instanceof SQLException sql && "23505".equals(sql.getSQLState())
                    && String.valueOf(sql.getMessage()).contains("api_tokens_name_idx")) {
                throw new NameTakenException();
            }
            throw e;
        }
    }

    private boolean tryInsert(NewToken token, Actor by) {
        return jdbi.inTransaction(handle -> {
            boolean nameTaken = handle.createQuery("SELECT count(*) FROM api_tokens WHERE lower(name) = lower(:name)")
                    .bind("name", token.name())
                    .mapTo(Long.class)
                    .one() > 0;
            if (nameTaken) {
                throw new NameTakenException();
            }
            boolean inserted = handle.createUpdate("""
                            INSERT INTO api_tokens (id, name, role, description, secret_hash, created_by,
                                                    created_on_behalf_of, created_at, expires_at)
                            VALUES (:id, :name, :role, :description, :hash, :createdBy, :onBehalfOf, :createdAt,
                                    :expiresAt)
                            ON CONFLICT (id) DO NOTHING
                            """)
                    .bind("id", token.id())
                    .bind("name", token.name())
                    .bind("role", token.role())
                    .bindByType("description", token.description(), String.class)
                    .bind("hash", token.secretHash())
                    .bind("createdBy", token.createdBy())
                    .bindByType("onBehalfOf", token.onBehalfOf(), String.class)
                    .bind("createdAt", token.createdAt())
                    .bind("expiresAt", token.expiresAt())
                    .execute() == 1;
            if (inserted) {
                // never the hash: what the token is and whom it lets in
                Map<String, Object> after = new LinkedHashMap<>();
                after.put("name", token.name());
                after.put("role", token.role());
                after.put("description", token.description());
                after.put("expiresAt", token.expiresAt().toString());
                new AuditTrail(handle).record(AuditEntry.of(by, token.createdAt(), "token.created", "token", token.id(),
                        null, after));
            }
            return inserted;
        });
    }

    public Optional<ApiToken> find(String id, Instant now) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id = :id")
                .bind("id", id)
                .bind("now", now)
                .map(ApiTokenStore::token)
                .findOne());
    }

    /** Every token, newest first, revoked and expired ones included (they are the record of who had access). */
    public List<ApiToken> list(Instant now, int limit) {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT " + COLUMNS
                        + " FROM api_tokens ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("now", now)
                .bind("limit", limit)
                .map(ApiTokenStore::token)
                .list());
    }

    /** Revokes the token if it is not yet; false when there is no such token. */
    public boolean revoke(String id, Actor by, Instant now) {
        try {
            return revokeRow(id, by, now);
        } finally {
            credentials.evict(id);
        }
    }

    private boolean revokeRow(String id, Actor by, Instant now) {
        return jdbi.inTransaction(handle -> {
            Optional<Boolean> active = handle.createQuery("SELECT revoked_at IS NULL FROM api_tokens WHERE id = :id "
                            + "FOR UPDATE")
                    .bind("id", id)
                    .mapTo(Boolean.class)
                    .findOne();
            if (active.isEmpty()) {
                return false;
            }
            int rows = handle.createUpdate("""
                            UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, :now),
                                   revoked_by = COALESCE(revoked_by, :actor),
                                   revoked_on_behalf_of = CASE WHEN revoked_at IS NULL THEN :onBehalfOf
                                                               ELSE revoked_on_behalf_of END
                            WHERE id = :id
                            """)
                    .bind("id", id)
                    .bind("now", now)
                    .bind("actor", by.identity())
                    .bindByType("onBehalfOf", by.onBehalfOf(), String.class)
                    .execute();
            if (rows == 1 && active.get()) {
                new AuditTrail(handle).record(AuditEntry.of(by, now, "token.revoked", "token", id,
                        Map.of("status", "ACTIVE"), Map.of("status", "REVOKED")));
            }
            return rows == 1;
        });
    }

    Optional<Credential> credential(String id) {
        return credentials.get(id, this::readCredential);
    }

    private Optional<Credential> readCredential(String id) {
        return jdbi.withHandle(handle -> handle.createQuery("""
                        SELECT id, name, role, secret_hash, expires_at, revoked_at, last_used_at
                        FROM api_tokens WHERE id = :id
                        """)
                .bind("id", id)
                .map((rs, ctx) -> new Credential(rs.getString("id"), rs.getString("name"), rs.getString("role"),
                        rs.getBytes("secret_hash"), instant(rs, "expires_at"), instant(rs, "revoked_at"),
                        instant(rs, "last_used_at")))
                .findOne());
    }

    /**
     * Records a use, at most once per {@code granularity}: the condition in SQL keeps several API instances from
     * writing the row on every request.
     */
    void touch(String id, Instant now, Instant notAfter) {
        jdbi.useHandle(handle -> handle.createUpdate("""
                        UPDATE api_tokens SET last_used_at = :now
                        WHERE id = :id AND (last_used_at IS NULL OR last_used_at < :notAfter)
                        """)
                .bind("id", id)
                .bind("now", now)
                .bind("notAfter", notAfter)
                .execute());
        credentials.touched(id, now);
    }

    private static ApiToken token(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getString("role"),
                rs.getString("description"), rs.getString("status"), rs.getString("created_by"),
                rs.getString("on_behalf_of"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "last_used_at"), instant(rs, "revoked_at"), rs.getString("revoked_by"),
                rs.getString("revoked_on_behalf_of"));
    }


    /** Another token has the name (names are unique regardless of case). */
    static final class NameTakenException extends RuntimeException {
        NameTakenException() {
            super("a token with that name exists", null, false, false);
        }
    }
}
