package io.keywatch.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An endpoint's signing secret in the Standard Webhooks form {@code whsec_<base64 of the key bytes>}.
 *
 * <p>The spec asks for at least 24 random bytes (and at most 64); keywatch generates 32. The secret is shown to
 * the endpoint's owner once, when the subscription is created or rotated, and otherwise stays out of every string
 * this class produces: {@link #toString()} shows only a short fingerprint that identifies the secret without
 * revealing it.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    public static final int GENERATED_BYTES = 32;
    public static final int MIN_BYTES = 24;
    public static final int MAX_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    private WebhookSecret(byte[] key) {
        if (key.length < MIN_BYTES || key.length > MAX_BYTES) {
            throw new IllegalArgumentException("a webhook secret must hold " + MIN_BYTES + " to " + MAX_BYTES
                    + " bytes, got " + key.length);
        }
        this.key = key.clone();
    }

    /** A fresh secret of {@value #GENERATED_BYTES} bytes from a shared {@link SecureRandom}. */
    public static WebhookSecret generate() {
        return generate(RANDOM);
    }

    public static WebhookSecret generate(SecureRandom random) {
        byte[] bytes = new byte[GENERATED_BYTES];
        random.nextBytes(bytes);
        return new WebhookSecret(bytes);
    }

    /** Wraps raw key bytes (copied). */
    public static WebhookSecret ofBytes(byte[] key) {
        return new WebhookSecret(Objects.requireNonNull(key, "key"));
    }

    /**
     * Reads a {@code whsec_...} string. The messages of the exceptions never repeat the input, because the input
     * is a secret.
     *
     * @throws IllegalArgumentException if the prefix is missing, the rest is not standard base64, or the key is
     *                                  shorter than {@value #MIN_BYTES} or longer than {@value #MAX_BYTES} bytes
     */
    public static WebhookSecret parse(String encoded) {
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException("a webhook secret must not be blank");
        }
        String text = encoded.strip();
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("a webhook secret must start with '" + PREFIX + "'");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a webhook secret must be '" + PREFIX + "' followed by standard base64");
        }
        return new WebhookSecret(key);
    }

    /** The {@code whsec_...} form: for showing to the endpoint's owner once, and for storage. Never log it. */
    public String reveal() {
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** A copy of the HMAC key bytes. */
    public byte[] keyBytes() {
        return key.clone();
    }

    int length() {
        return key.length;
    }

    /**
     * The first 8 hex digits of SHA-256 over {@code "keywatch-webhook-secret:" + key}: tells two secrets apart in
     * logs and listings, reveals nothing usable about the key.
     */
    public String fingerprint() {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update("keywatch-webhook-secret:".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha256.digest(key), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** Constant-time comparison of the key bytes. */
    @Override
    public boolean equals(Object other) {
        return other instanceof WebhookSecret that && MessageDigest.isEqual(key, that.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "WebhookSecret[whsec_***, fingerprint=" + fingerprint() + "]";
    }
}
