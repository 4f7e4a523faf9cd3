package io.keywatch.api.errors;

/** A change the current state does not allow (reinstating an active key, approving a denied decision): a 409. */
public final class StateConflictException extends RuntimeException {

    public StateConflictException(String message) {
        super(message);
    }
}
