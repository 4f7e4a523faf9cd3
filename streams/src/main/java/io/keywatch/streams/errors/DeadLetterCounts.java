package io.keywatch.streams.errors;

import io.keywatch.events.RejectCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How many records the exception handlers dead-lettered, by reason code, since the service started: what the
 * service reports. Kafka Streams creates the handlers itself, so the service hands its instance to them through the
 * configuration ({@link #CONFIG}); thread-safe, since every stream thread's handlers count into it.
 */
public final class DeadLetterCounts {

    /** The configuration key under which the handlers find the service's counts. */
    public static final String CONFIG = "keywatch.dead-letter.counts";

    private static final RejectCode[] CODES = RejectCode.values();

    private final AtomicLongArray counts = new AtomicLongArray(CODES.length);

    /** The service's counts from the handler's configuration, or new ones (counted, though nobody reads them). */
    static DeadLetterCounts from(Map<String, ?> configs) {
        return configs.get(CONFIG) instanceof DeadLetterCounts given ? given : new DeadLetterCounts();
    }

    /** Counts one record; returns the count of its code so far. */
    public long increment(RejectCode code) {
        return counts.incrementAndGet(code.ordinal());
    }

    public long count(RejectCode code) {
        return counts.get(code.ordinal());
    }

    /** The codes counted so far, with their counts. */
    public Map<RejectCode, Long> snapshot() {
        Map<RejectCode, Long> snapshot = new EnumMap<>(RejectCode.class);
        for (RejectCode code : CODES) {
            long count = counts.get(code.ordinal());
            if (count > 0) {
                snapshot.put(code, count);
            }
        }
        return snapshot;
    }
}
