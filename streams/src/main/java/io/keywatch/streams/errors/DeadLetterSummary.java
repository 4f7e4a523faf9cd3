package io.keywatch.streams.errors;

import io.keywatch.events.RejectCode;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One line on what the exception handlers dead-lettered and how many key-state records were skipped, for the log,
 * and only when something changed since the last line. (Metrics for these come with issue #16.)
 */
public final class DeadLetterSummary {

    private final DeadLetterCounts counts;
    private final LongSupplier keyStateSkips;
    private Map<RejectCode, Long> lastCounts = Map.of();
    private long lastSkips;

    public DeadLetterSummary(DeadLetterCounts counts, LongSupplier keyStateSkips) {
        this.counts = counts;
        this.keyStateSkips = keyStateSkips;
    }

    /** The line when the counts changed since the last call, else null. */
    public synchronized String changed() {
        Map<RejectCode, Long> now = counts.snapshot();
        long skips = keyStateSkips.getAsLong();
        if (now.equals(lastCounts) && skips == lastSkips) {
            return null;
        }
        lastCounts = now;
        lastSkips = skips;
        return "dead-lettered by the exception handlers since start: " + (now.isEmpty() ? "none" : now)
                + "; malformed key-state records skipped: " + skips;
    }
}
