package io.keywatch.api.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the alert consumer has done since start, for /health: records taken in, records quarantined (and the last
 * reason), whether it is stuck retrying right now, its lag and when it last made progress. Written by the consumer
 * thread, read by any.
 */
public final class IntakeStatus {

    /** The last quarantine: its reason code and when. */
    public record Quarantine(IntakeCode reasonCode, Instant at) {
    }

    /** A retry streak in progress: since when, how many failed attempts, of which kind. */
    public record Retrying(Instant since, long attempts, IntakeCode reasonCode, boolean known) {
    }

    /**
     * The consumer's lag as of its last poll: per partition (of the partitions assigned to it), the end of what it may
     * read (the last stable offset, read_committed) minus what it committed; {@code at} is when it was measured.
     */
    public record Lag(Map<Integer, Long> byPartition, Instant at) {

        public Lag {
            byPartition = Map.copyOf(byPartition);
        }

        public long total() {
            return byPartition.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The partitions in order, for reports. */
        public Map<Integer, Long> sorted() {
            return new TreeMap<>(byPartition);
        }
    }

    private final Clock clock;
    private final Instant startedAt;
    private volatile Lag lag;
    private volatile Instant lastProgress;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private final AtomicLongArray quarantinedByCode = new AtomicLongArray(IntakeCode.values().length);
    private volatile Quarantine lastQuarantine;
    private volatile Retrying retrying;

    public IntakeStatus(Clock clock) {
        this.clock = clock;
        this.startedAt = clock.instant();
        this.lastProgress = startedAt;
    }

    /** Called by the consumer when its committed offsets moved forward: the intake makes progress. */
    public void progressed() {
        lastProgress = clock.instant();
    }

    /** Called by the consumer after each poll; a lag of zero counts as progress (there is nothing to do). */
    public void measured(Map<Integer, Long> lagByPartition) {
        Lag measured = new Lag(lagByPartition, clock.instant());
        lag = measured;
        if (measured.total() == 0) {
            lastProgress = measured.at();
        }
    }

    /** The last lag measured; empty before the first poll. */
    public Optional<Lag> lag() {
        return Optional.ofNullable(lag);
    }

    /** When the consumer last committed further or was caught up (the start, before that). */
    public Instant lastProgress() {
        return lastProgress;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Called by the consumer: records handed to the store and stored; ends a retry streak. */
    public void stored(int records) {
        stored.addAndGet(records);
        retrying = null;
    }

    /** Called by the consumer when records were done (stored or quarantined) without a failure: ends a retry streak. */
    public void resetRetry() {
        retrying = null;
    }

    /** Called by the consumer once the dead-letter topic acknowledged a record. */
    public void quarantined(IntakeCode reasonCode) {
        quarantined.incrementAndGet();
        quarantinedByCode.incrementAndGet(reasonCode.ordinal());
        lastQuarantine = new Quarantine(reasonCode, clock.instant());
    }

    /** Counts one failed attempt of a retry streak; returns the streak's attempts so far. */
    public long failedTransiently(IntakeFailure failure) {
        Retrying current = retrying;
        Retrying next = current == null
                ? new Retrying(clock.instant(), 1, failure.reasonCode(), failure.known())
                : new Retrying(current.since(), current.attempts() + 1, failure.reasonCode(), failure.known());
        retrying = next;
        return next.attempts();
    }

    /** Records handed to the store (valid alerts, replays included). */
    public long storedRecords() {
        return stored.get();
    }

    /** Records sent to the dead-letter topic since start. */
    public long quarantinedRecords() {
        return quarantined.get();
    }

    /** Records sent to the dead-letter topic since start with this reason code. */
    public long quarantinedRecords(IntakeCode reasonCode) {
        return quarantinedByCode.get(reasonCode.ordinal());
    }

    public Optional<Quarantine> lastQuarantine() {
        return Optional.ofNullable(lastQuarantine);
    }

    public Optional<Retrying> retrying() {
        return Optional.ofNullable(retrying);
    }
}
