package io.keywatch.api.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook requests the Standard Webhooks v1 way: {@code v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>}
 * where the key is the base64-decoded part of the endpoint's {@code whsec_} secret.
 *
 * <p>During a secret rotation an endpoint has several secrets: each gives one signature, and the
 * {@code webhook-signature} header carries them all, space-separated, so that a receiver verifying with either the
 * old or the new secret accepts the request. Immutable and thread-safe.
 */
public final class WebhookSigner {

    public static final String HEADER_ID = "webhook-id";
    public static final String HEADER_TIMESTAMP = "webhook-timestamp";
    public static final String HEADER_SIGNATURE = "webhook-signature";
    public static final String VERSION = "v1";

    private static final String HMAC_SHA256 = "HmacSHA256";

    private final List<WebhookSecret> secrets;

    private WebhookSigner(List<WebhookSecret> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("a webhook signer needs at least one secret");
        }
        this.secrets = List.copyOf(secrets);
    }

    /** Signs with one secret, or with the current secret and those still valid during a rotation. */
    public static WebhookSigner of(WebhookSecret current, WebhookSecret... stillValid) {
        Objects.requireNonNull(current, "current");
        List<WebhookSecret> all = new java.util.ArrayList<>();
        all.add(current);
        all.addAll(List.of(stillValid));
        return new WebhookSigner(all);
    }

    /** Signs with every secret in the list, in order; the list must not be empty. */
    public static WebhookSigner of(List<WebhookSecret> secrets) {
        return new WebhookSigner(Objects.requireNonNull(secrets, "secrets"));
    }

    /**
     * Signs one attempt. Standard Webhooks keeps the id across retries but gives every attempt a fresh timestamp,
     * so sign again for each attempt.
     *
     * @param messageId        the event's stable id ({@code msg_...}); must not contain '.', which delimits the
     *                         signed content
     * @param timestampSeconds the attempt's time, unix seconds
     * @param body             exactly the bytes that will be sent
     */
    public SignedRequest sign(String messageId, long timestampSeconds, byte[] body) {
        requireValidId(messageId);
        if (timestampSeconds < 0) {
            throw new IllegalArgumentException("timestamp must not be negative, got " + timestampSeconds);
        }
        Objects.requireNonNull(body, "body");
        StringJoiner signatures = new StringJoiner(" ");
        for (WebhookSecret secret : secrets) {
            signatures.add(signature(secret, messageId, timestampSeconds, body));
        }
        return new SignedRequest(messageId, timestampSeconds, signatures.toString(), body);
    }

    /** One {@code v1,<base64>} signature. */
    public static String signature(WebhookSecret secret, String messageId, long timestampSeconds, byte[] body) {
        requireValidId(messageId);
        try {
            Mac mac = Mac.getInstance(HMAC_SHA256);
            mac.init(new SecretKeySpec(secret.keyBytes(), HMAC_SHA256));
            mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
            return VERSION + "," + Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is required of every Java platform", e);
        }
    }

    public int secretCount() {
        return secrets.size();
    }

    private static void requireValidId(String messageId) {
        if (messageId == null || messageId.isBlank()) {
            throw new IllegalArgumentException("webhook message id must not be blank");
        }
        // the id and the timestamp are '.'-delimited in the signed content; headers cannot carry controls or spaces
        for (int i = 0; i < messageId.length(); i++) {
            char c = messageId.charAt(i);
            if (c == '.' || c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException(
                        "webhook message id must be printable ASCII without '.' or spaces, got '" + messageId + "'");
            }
        }
    }

    @Override
    public String toString() {
        return "WebhookSigner[" + secrets + "]";
    }
}
