package io.keywatch.api.webhooks;

/** A delivery that can never be sent as stored; the message holds no secret, signature, path or query. */
public final class UnsendableRequestException extends RuntimeException {

    public UnsendableRequestException(String message) {
        super(message, null, false, false);
    }
}
