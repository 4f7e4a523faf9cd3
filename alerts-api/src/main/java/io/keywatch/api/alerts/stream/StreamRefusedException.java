package io.keywatch.api.alerts.stream;

import java.time.Duration;

/** A new stream would exceed the instance's limit ({@code KEYWATCH_SSE_MAX_SUBSCRIBERS}). */
public final class StreamRefusedException extends RuntimeException {

    private final Duration retryAfter;

    StreamRefusedException(String message, Duration retryAfter) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
