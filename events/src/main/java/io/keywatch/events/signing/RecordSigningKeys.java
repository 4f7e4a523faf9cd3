package io.keywatch.events.signing;

import io.keywatch.events.Env;
import io.keywatch.events.KeyList;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The HMAC keys that sign and verify keywatch's own records ({@code keywatch.alerts}, {@code keywatch.key-state}),
 * read from {@value #VAR} as {@code kid1:base64,kid2:base64}. The first key signs; every key listed verifies, so a key
 * is rotated by putting the new one first and removing the old one once no record it signed matters any more. Each
 * key has at least {@value #MIN_BYTES} bytes (SHA-256's output: a shorter HMAC key weakens the MAC).
 *
 * <p>Neither {@link #toString()} nor any error message shows a key.
 */
public final class RecordSigningKeys {

    public static final String VAR = "KEYWATCH_RECORD_SIGNING_KEYS";
    public static final int MIN_BYTES = 32;
    /** Enough for any rotation; a longer list is a mistake. */
    public static final int MAX_KEYS = 16;

    private final List<SigningKey> keys;

    /** One key: its id (travels in the {@code keywatch.sig-kid} header) and its bytes. */
    private record SigningKey(String id, byte[] bytes) {
    }

    private RecordSigningKeys(List<SigningKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key listed");
        }
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("more than " + MAX_KEYS + " keys listed");
        }
        this.keys = List.copyOf(keys);
    }

    /** The keys in {@value #VAR}, or null when it is unset or blank (the caller decides what that means). */
    public static RecordSigningKeys fromEnv(Map<String, String> variables) {
        return Env.of(variables).secret(VAR, null, RecordSigningKeys::parse,
                "a comma-separated list of keyId:base64 entries, keys of at least " + MIN_BYTES + " bytes");
    }

    /**
     * {@code kid1:base64,kid2:base64} (standard or URL-safe base64). The message of the
     * {@link IllegalArgumentException} for a value it cannot use says why, never what the value or a key was.
     */
    public static RecordSigningKeys parse(String text) {
        List<SigningKey> keys = new ArrayList<>();
        List<KeyList.Entry> entries = KeyList.parse(text);
        for (int i = 0; i < entries.size(); i++) {
            byte[] bytes = entries.get(i).bytes();
            if (bytes.length < MIN_BYTES) {
                throw new IllegalArgumentException("the key of entry " + (i + 1) + " has " + bytes.length
                        + " bytes, fewer than " + MIN_BYTES);
            }
            keys.add(new SigningKey(entries.get(i).id(), bytes));
        }
        return new RecordSigningKeys(keys);
    }

    /** One fresh random key of {@value #MIN_BYTES} bytes under this id (the standalone's, and tests'). */
    public static RecordSigningKeys random(String keyId) {
        byte[] bytes = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return parse(keyId + ":" + Base64.getEncoder().encodeToString(bytes));
    }

    /** The value of {@value #VAR} that reads back as these keys: for the one place that persists it. */
    public String toEnvValue() {
        StringBuilder out = new StringBuilder();
        for (SigningKey key : keys) {
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(key.id()).append(':').append(Base64.getEncoder().encodeToString(key.bytes()));
        }
        return out.toString();
    }

    /** These keys with {@code newKey}'s signing key first (it signs from now on); the others still verify. */
    public RecordSigningKeys rotatedTo(RecordSigningKeys newKey) {
        List<SigningKey> rotated = new ArrayList<>();
        rotated.add(newKey.keys.get(0));
        for (SigningKey key : keys) {
            if (!key.id().equals(newKey.signingKeyId())) {
                rotated.add(key);
            }
        }
        return new RecordSigningKeys(rotated);
    }

    /** The id of the key that signs. */
    public String signingKeyId() {
        return keys.get(0).id();
    }

    byte[] signingKey() {
        return keys.get(0).bytes().clone();
    }

    /** The key of this id, if it is listed. */
    Optional<byte[]> verifyingKey(String keyId) {
        return keys.stream().filter(key -> key.id().equals(keyId)).map(key -> key.bytes().clone()).findFirst();
    }

    /** The key ids, in order (safe to show). */
    public List<String> keyIds() {
        return keys.stream().map(SigningKey::id).toList();
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof RecordSigningKeys that) || that.keys.size() != keys.size()) {
            return false;
        }
        for (int i = 0; i < keys.size(); i++) {
            if (!keys.get(i).id().equals(that.keys.get(i).id())
                    || !MessageDigest.isEqual(keys.get(i).bytes(), that.keys.get(i).bytes())) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return keyIds().hashCode();
    }

    @Override
    public String toString() {
        return "RecordSigningKeys" + keyIds() + "[keys not shown]";
    }
}
