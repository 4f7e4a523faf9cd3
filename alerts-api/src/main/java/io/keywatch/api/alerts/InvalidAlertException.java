package io.keywatch.api.alerts;

/** An alert record that can never be stored as it is; its message quotes attacker text only escaped and cut. */
public final class InvalidAlertException extends RuntimeException {

    public InvalidAlertException(String message) {
        // no stack trace: this is a verdict about data, thrown per poison record, not a bug to locate
        super(message, null, false, false);
    }
}
