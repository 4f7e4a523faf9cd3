package io.keywatch.events;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The moment a wait made of several steps (list, create, describe, list offsets ...) must end by: each step gets what
 * is left, so the whole wait takes at most the timeout, not the timeout once per step.
 */
public final class Deadline {

    private final Duration total;
    private final long endNanos;
    private final LongSupplier nanoTime;

    private Deadline(Duration total, long endNanos, LongSupplier nanoTime) {
        this.total = total;
        this.endNanos = endNanos;
        this.nanoTime = nanoTime;
    }

    /** {@code total} from now, on the monotonic clock. */
    public static Deadline after(Duration total) {
        return after(total, System::nanoTime);
    }

    /** {@code total} from now on {@code nanoTime} (a monotonic clock in nanoseconds, e.g. a test's). */
    public static Deadline after(Duration total, LongSupplier nanoTime) {
        return new Deadline(total, nanoTime.getAsLong() + total.toNanos(), nanoTime);
    }

    /** The whole wait's timeout, for messages. */
    public Duration total() {
        return total;
    }

    /** What is left, in milliseconds; at least 1, so that a last request is still sent rather than a zero wait. */
    public long remainingMs() {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(endNanos - nanoTime.getAsLong()));
    }

    /** Whether less than {@code margin} is left. */
    public boolean within(Duration margin) {
        return endNanos - nanoTime.getAsLong() <= margin.toNanos();
    }
}
