package io.keywatch.api.alerts.stream;

import java.time.Duration;

/**
 * A new stream is refused: the instance's limit ({@code KEYWATCH_SSE_MAX_SUBSCRIBERS}) or a busy feed (503), or the
 * identity's limit while its oldest stream is young (429, {@link #perIdentity()}).
 */
public final class StreamRefusedException extends RuntimeException {

    private final Duration retryAfter;
    private final boolean perIdentity;

    StreamRefusedException(String message, Duration retryAfter, boolean perIdentity) {
        super(message, null, false, false);
        this.retryAfter = retryAfter;
        this.perIdentity = perIdentity;
    }

    /** The identity's own limit (429), not the instance's (503). */
    public boolean perIdentity() {
        return perIdentity;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
