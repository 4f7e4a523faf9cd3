package io.keywatch.api.leastprivilege;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the key-scopes intake has done since start, for /health and tests: records stored, records refused (per
 * reason code), and whether storing is failing right now. Written by the consumer thread, read by any.
 */
public final class KeyScopeIntakeStatus {

    /** The last refusal: its reason code and when. */
    public record Refusal(String reasonCode, Instant at) {
    }

    private final Clock clock;
    private final AtomicLong stored = new AtomicLong();
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();
    private volatile Refusal lastRefusal;
    private volatile Instant failingSince;
    private volatile String failingBecause;

    public KeyScopeIntakeStatus(Clock clock) {
        this.clock = clock;
    }

    void stored(int count) {
        stored.addAndGet(count);
        failingSince = null;
        failingBecause = null;
    }

    void refused(String reasonCode) {
        refused.computeIfAbsent(reasonCode, code -> new AtomicLong()).incrementAndGet();
        lastRefusal = new Refusal(reasonCode, clock.instant());
    }

    /** Storing or polling failed; the batch is retried after a back-off. */
    void failing(String because) {
        if (failingSince == null) {
            failingSince = clock.instant();
        }
        failingBecause = because;
    }

    void recovered() {
        failingSince = null;
        failingBecause = null;
    }

    public long storedRecords() {
        return stored.get();
    }

    public long refusedRecords() {
        return refused.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Refused records per reason code, sorted. */
    public Map<String, Long> refusedByReason() {
        Map<String, Long> counts = new TreeMap<>();
        refused.forEach((code, count) -> counts.put(code, count.get()));
        return counts;
    }

    public Optional<Refusal> lastRefusal() {
        return Optional.ofNullable(lastRefusal);
    }

    /** Since when storing (or polling) has failed without a success; empty while it works. */
    public Optional<Instant> failingSince() {
        return Optional.ofNullable(failingSince);
    }

    public Optional<String> failingBecause() {
        return Optional.ofNullable(failingBecause);
    }
}
