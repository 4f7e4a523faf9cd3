package io.keywatch.api.alerts.stream;

import java.time.Duration;

/** A new stream would exceed a limit: the instance's ({@code global}) or the identity's. */
public final class StreamRefusedException extends RuntimeException {

    private final boolean global;
    private final Duration retryAfter;

    StreamRefusedException(String message, boolean global, Duration retryAfter) {
        super(message, null, false, false);
        this.global = global;
        this.retryAfter = retryAfter;
    }

    /** True when the instance is full (every identity is refused), false when only this identity is. */
    public boolean global() {
        return global;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
