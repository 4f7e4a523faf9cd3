package io.keywatch.events.secrets;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * The HMAC key of {@link SecretFingerprinter}: at least {@value #MIN_BYTES} bytes, read from base64
 * ({@code KEYWATCH_SECRET_FINGERPRINT_KEY}). Its {@link #toString()} never shows it, and no error message quotes it.
 */
public final class FingerprintKey {

    /** SHA-256's output size: a shorter HMAC key would weaken the fingerprint. */
    public static final int MIN_BYTES = 32;

    private final byte[] bytes;

    private FingerprintKey(byte[] bytes) {
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("a secret fingerprint key needs at least " + MIN_BYTES
                    + " bytes, got " + bytes.length);
        }
        this.bytes = bytes.clone();
    }

    /** A key of these bytes (copied). */
    public static FingerprintKey of(byte[] bytes) {
        return new FingerprintKey(bytes);
    }

    /**
     * The key in base64 (standard or URL-safe alphabet). The message of the {@link IllegalArgumentException} for a
     * value it cannot use says why, never what the value was.
     */
    public static FingerprintKey parseBase64(String text) {
        String trimmed = text.strip();
        byte[] decoded;
        try {
            decoded = trimmed.indexOf('-') >= 0 || trimmed.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(trimmed) : Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            // the decoder's message may quote a character of the key: not passed on
            throw new IllegalArgumentException("not valid base64");
        }
        return new FingerprintKey(decoded);
    }

    /** A fresh random key of 32 bytes. */
    public static FingerprintKey random() {
        byte[] bytes = new byte[MIN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return new FingerprintKey(bytes);
    }

    /** The key in standard base64, for the one place that persists it (the standalone's data directory). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FingerprintKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "FingerprintKey[" + bytes.length + " bytes, not shown]";
    }
}
