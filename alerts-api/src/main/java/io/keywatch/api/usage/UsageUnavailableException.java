package io.keywatch.api.usage;

import java.time.Duration;

/** The usage state cannot be queried right now (restoring, rebalancing); worth retrying after {@link #retryAfter}. */
public final class UsageUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public UsageUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
