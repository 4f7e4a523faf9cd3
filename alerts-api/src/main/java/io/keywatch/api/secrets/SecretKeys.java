package io.keywatch.api.secrets;

import io.keywatch.events.Env;
import io.keywatch.events.KeyList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys (AES-256) that seal secrets keywatch must keep in PostgreSQL (webhook signing secrets),
 * read from {@value #VAR} as {@code kid1:base64,kid2:base64} or from the file named by {@value #FILE_VAR}. The first
 * key encrypts; every key listed decrypts, so a key is rotated by putting a new one first: the next start re-encrypts
 * what the others sealed, after which they can be removed.
 *
 * <p>Neither {@link #toString()} nor any error message shows a key.
 */
public final class SecretKeys {

    public static final String VAR = "KEYWATCH_SECRETS_KEYS";
    public static final String FILE_VAR = "KEYWATCH_SECRETS_KEYS_FILE";
    /** AES-256. */
    public static final int KEY_BYTES = 32;
    public static final int MAX_KEYS = 16;
    private static final String EXPECTED = "a comma-separated list of keyId:base64 entries, keys of " + KEY_BYTES
            + " bytes";

    private record Key(String id, SecretKey key) {
    }

    private final List<Key> keys;

    private SecretKeys(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key listed");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("more than " + MAX_KEYS + " keys listed");
        }
        this.keys = List.copyOf(keys);
    }

    /**
     * The keys in {@value #VAR}, else in the file {@value #FILE_VAR} names; null when neither is set (the caller
     * decides what that means). Setting both is refused: which one wins would be a guess.
     */
    public static SecretKeys fromEnv(Map<String, String> variables) {
        String file = variables.get(FILE_VAR);
        boolean inline = variables.get(VAR) != null && !variables.get(VAR).isBlank();
        if (inline && file != null && !file.isBlank()) {
            throw new IllegalArgumentException(VAR + " and " + FILE_VAR + " are both set: set one");
        }
        if (inline) {
            return Env.of(variables).secret(VAR, null, SecretKeys::parse, EXPECTED);
        }
        if (file == null || file.isBlank()) {
            return null;
        }
        Path path = Path.of(file.strip());
        String text;
        try {
            text = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE_VAR + ": cannot read " + path + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            return parse(text.strip());
        } catch (IllegalArgumentException e) {
            // the reason only, never the content
            throw new IllegalArgumentException(FILE_VAR + ": " + path + " does not hold " + EXPECTED + " ("
                    + e.getMessage() + ")");
        }
    }

    /** {@code kid1:base64,kid2:base64}; the message of a refusal says why, never what a key was. */
    public static SecretKeys parse(String text) {
        List<Key> keys = new ArrayList<>();
        List<KeyList.Entry> entries = KeyList.parse(text);
        for (int i = 0; i < entries.size(); i++) {
            byte[] bytes = entries.get(i).bytes();
            if (bytes.length != KEY_BYTES) {
                throw new IllegalArgumentException("the key of entry " + (i + 1) + " has " + bytes.length
                        + " bytes, not " + KEY_BYTES);
            }
            keys.add(new Key(entries.get(i).id(), new SecretKeySpec(bytes, "AES")));
        }
        return new SecretKeys(keys);
    }

    /** One fresh random key under this id (the standalone's, and tests'). */
    public static SecretKeys random(String keyId) {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        return parse(keyId + ":" + Base64.getEncoder().encodeToString(bytes));
    }

    /** The value that reads back as these keys: for the one place that persists it. */
    public String toEnvValue() {
        StringBuilder out = new StringBuilder();
        for (Key key : keys) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(key.id()).append(':').append(Base64.getEncoder().encodeToString(key.key().getEncoded()));
        }
        return out.toString();
    }

    /** These keys with {@code newKey}'s first key first (it encrypts from now on); the others still decrypt. */
    public SecretKeys rotatedTo(SecretKeys newKey) {
        List<Key> rotated = new ArrayList<>();
        rotated.add(newKey.keys.get(0));
        keys.stream().filter(key -> !key.id().equals(newKey.encryptingKeyId())).forEach(rotated::add);
        return new SecretKeys(rotated);
    }

    public String encryptingKeyId() {
        return keys.get(0).id();
    }

    SecretKey encryptingKey() {
        return keys.get(0).key();
    }

    Optional<SecretKey> key(String keyId) {
        return keys.stream().filter(key -> key.id().equals(keyId)).map(Key::key).findFirst();
    }

    /** The key ids, in order (safe to show). */
    public List<String> keyIds() {
        return keys.stream().map(Key::id).toList();
    }

    @Override
    public String toString() {
        return "SecretKeys" + keyIds();
    }
}
