package io.keywatch.api.secrets;

/** A stored secret that cannot be opened; the message never holds the value or a key. */
public final class SealedSecretException extends RuntimeException {

    public SealedSecretException(String message) {
        super(message, null, false, false);
    }
}
