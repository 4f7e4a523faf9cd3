package io.keywatch.api.webhooks;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One signed delivery attempt: the Standard Webhooks headers and the exact body they sign.
 *
 * @param id               {@code webhook-id}: the event's id, the same on every retry
 * @param timestampSeconds {@code webhook-timestamp}: unix seconds of this attempt
 * @param signature        {@code webhook-signature}: one or more space-separated {@code v1,<base64>} signatures
 * @param body             the signed bytes; send exactly these
 */
public record SignedRequest(String id, long timestampSeconds, String signature, byte[] body) {

    public static final String CONTENT_TYPE = "application/json";

    public SignedRequest {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(signature, "signature");
        body = Objects.requireNonNull(body, "body").clone();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    /** The three {@code webhook-*} headers plus {@code content-type}, in a stable order. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(WebhookSigner.HEADER_ID, id);
        headers.put(WebhookSigner.HEADER_TIMESTAMP, Long.toString(timestampSeconds));
        headers.put(WebhookSigner.HEADER_SIGNATURE, signature);
        headers.put("content-type", CONTENT_TYPE);
        return headers;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedRequest that && id.equals(that.id) && timestampSeconds == that.timestampSeconds
                && signature.equals(that.signature) && java.util.Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timestampSeconds, signature, java.util.Arrays.hashCode(body));
    }

    /** Leaves the signature and the body out: logs get the id, the time and the size. */
    @Override
    public String toString() {
        return "SignedRequest[id=" + id + ", timestamp=" + timestampSeconds + ", body=" + body.length + " bytes]";
    }
}
