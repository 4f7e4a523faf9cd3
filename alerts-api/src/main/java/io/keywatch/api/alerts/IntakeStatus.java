package io.keywatch.api.alerts;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the alert consumer has done since start, for /health: records taken in, records quarantined (and the last
 * reason), and whether it is stuck retrying right now. Written by the consumer thread, read by any.
 */
public final class IntakeStatus {

    /** The last quarantine: its reason code and when. */
    public record Quarantine(IntakeCode reasonCode, Instant at) {
    }

    /** A retry streak in progress: since when, how many failed attempts, of which kind. */
    public record Retrying(Instant since, long attempts, IntakeCode reasonCode, boolean known) {
    }

    private final Clock clock;
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong quarantined = new AtomicLong();
    private volatile Quarantine lastQuarantine;
    private volatile Retrying retrying;

    public IntakeStatus(Clock clock) {
        this.clock = clock;
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

    public Optional<Quarantine> lastQuarantine() {
        return Optional.ofNullable(lastQuarantine);
    }

    public Optional<Retrying> retrying() {
        return Optional.ofNullable(retrying);
    }
}
