package io.keywatch.api.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a secret for storage with AES-256-GCM under the first of the {@link SecretKeys}: a random 96-bit nonce per
 * seal, and a caller-given context (the row's id) as associated data, so that a sealed value copied to another row
 * does not open there. Stored as {@code kid:base64(nonce):base64(ciphertext and tag)}. Thread-safe.
 */
public final class SecretBox {

    private static final String AES_GCM = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeys keys;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(SecretKeys keys) {
        this.keys = Objects.requireNonNull(keys, "keys");
    }

    /** {@code plaintext} sealed under the encrypting key, bound to {@code context}. */
    public String seal(String plaintext, String context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, keys.encryptingKey(), nonce, context);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return keys.encryptingKeyId() + ":" + b64.encodeToString(nonce) + ":" + b64.encodeToString(sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is required of every Java platform", e);
        }
    }

    /**
     * The plaintext of a value {@link #seal} made for {@code context}.
     *
     * @throws SealedSecretException when it is not a sealed value, names a key not listed, or does not
     *                               authenticate (another key, another context, altered); the message says which,
     *                               never what the value was
     */
    public String open(String stored, String context) {
        if (stored == null) {
            throw new SealedSecretException("no sealed value");
        }
        String[] parts = stored.split(":", -1);
        if (parts.length != 3) {
            throw new SealedSecretException("not a sealed value (kid:nonce:ciphertext)");
        }
        SecretKey key = keys.key(parts[0]).orElseThrow(() -> new SealedSecretException(
                "sealed under a key id not in " + SecretKeys.VAR));
        byte[] nonce;
        byte[] sealed;
        try {
            nonce = Base64.getDecoder().decode(parts[1]);
            sealed = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new SealedSecretException("a sealed value with invalid base64");
        }
        if (nonce.length != NONCE_BYTES || sealed.length < TAG_BITS / 8) {
            throw new SealedSecretException("a sealed value of the wrong length");
        }
        try {
            return new String(cipher(Cipher.DECRYPT_MODE, key, nonce, context).doFinal(sealed),
                    StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new SealedSecretException("the sealed value does not authenticate (altered, or sealed for "
                    + "another row)");
        } catch (GeneralSecurityException e) {
            throw new SealedSecretException("the sealed value cannot be decrypted ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Whether {@code stored} looks sealed (clear {@code whsec_} secrets hold no ':'). */
    public static boolean isSealed(String stored) {
        return stored != null && stored.indexOf(':') >= 0;
    }

    /** Whether {@code stored} is clear or sealed under another key than the encrypting one. */
    public boolean needsSealing(String stored) {
        return stored != null && !stored.startsWith(keys.encryptingKeyId() + ":");
    }

    public String encryptingKeyId() {
        return keys.encryptingKeyId();
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(AES_GCM);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(Objects.requireNonNull(context, "context").getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM, " + keys + "]";
    }
}
