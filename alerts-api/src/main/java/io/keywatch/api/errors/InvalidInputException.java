package io.keywatch.api.errors;

/**
 * A value a client sent that keywatch refuses (too long, a control character, a secret where an id belongs, a
 * malformed cursor): a 400 whose message names the field and says why, mapped at the edge by {@code ErrorHandlers}.
 * Thrown by the domain and the input checks, which know nothing of HTTP; the message quotes client strings only
 * escaped and cut ({@code InputText.quote}).
 */
public final class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
