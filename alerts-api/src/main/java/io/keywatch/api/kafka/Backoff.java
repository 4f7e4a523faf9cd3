package io.keywatch.api.kafka;

import java.time.Duration;

/** An intake loop's back-off: from 200 ms, doubling on each failure up to 10 s, back to 200 ms on success. */
public final class Backoff {

    static final Duration MIN = Duration.ofMillis(200);
    static final Duration MAX = Duration.ofSeconds(10);

    private Duration current = MIN;

    /** How long the next pause is. */
    public Duration current() {
        return current;
    }

    /** After a pause: the next one is twice as long, at most {@link #MAX}. */
    public void grow() {
        current = current.multipliedBy(2).compareTo(MAX) > 0 ? MAX : current.multipliedBy(2);
    }

    /** After a success. */
    public void reset() {
        current = MIN;
    }
}
