package io.keywatch.api.keys;

/** The key's new state is stored but could not be announced on Kafka; retrying the revocation announces it. */
public final class KeyStatePublishException extends RuntimeException {

    public KeyStatePublishException(String message, Throwable cause) {
        super(message, cause);
    }
}
