package io.keywatch.api.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The token format, {@code kw_<id>_<secret>}: {@code kw_} says whose token it is (and lets secret scanners find a
 * leaked one), the 8-character id names the row without revealing anything, the secret is 32 random bytes from
 * {@link SecureRandom} in base64url (43 characters, 256 bits).
 *
 * <p>Only SHA-256 of the secret is stored. A slow password hash (bcrypt, Argon2) protects low-entropy secrets from
 * guessing after a database leak; a 256-bit random secret cannot be guessed at any hash speed, so one SHA-256 is as
 * safe and keeps each authenticated request cheap.
 */
public final class TokenSecrets {

    public static final String PREFIX = "kw_";
    static final int ID_LENGTH = 8;
    static final int SECRET_BYTES = 32;
    static final int SECRET_LENGTH = 43;
    /** {@code kw_} + id + {@code _} + secret. */
    public static final int TOKEN_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SecureRandom random;

    public TokenSecrets(SecureRandom random) {
        this.random = random;
    }

    public TokenSecrets() {
        this(new SecureRandom());
    }

    /** A token's two parts, as presented by a client. The secret is never logged. */
    public record Parsed(String id, String secret) {
        @Override
        public String toString() {
            return "Parsed[id=" + id + ", secret=***]";
        }
    }

    String newId() {
        char[] id = new char[ID_LENGTH];
        for (int i = 0; i < id.length; i++) {
            id[i] = ID_ALPHABET[random.nextInt(ID_ALPHABET.length)];
        }
        return new String(id);
    }

    String newSecret() {
        byte[] bytes = new byte[SECRET_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String format(String id, String secret) {
        return PREFIX + id + "_" + secret;
    }

    /** The id and secret of a credential in keywatch's format; empty for anything else (another kind of credential). */
    public static Optional<Parsed> parse(String credential) {
        if (credential == null || credential.length() != TOKEN_LENGTH || !credential.startsWith(PREFIX)
                || credential.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return Optional.empty();
        }
        String id = credential.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return Optional.empty();
            }
        }
        String secret = credential.substring(PREFIX.length() + ID_LENGTH + 1);
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return Optional.empty();
            }
        }
        return Optional.of(new Parsed(id, secret));
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Constant time, so the time taken says nothing about how much of a guessed secret was right. */
    static boolean matches(String secret, byte[] storedHash) {
        return MessageDigest.isEqual(hash(secret), storedHash);
    }
}
