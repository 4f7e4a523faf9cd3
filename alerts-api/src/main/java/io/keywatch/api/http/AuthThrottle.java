package io.keywatch.api.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed authentications per source address in fixed windows: once an address has failed {@code limit} times
 * in its window, it is refused (429) until the window ends, before its credential is even looked at. A success
 * resets nothing (neither its own counter, so a valid low-privilege token cannot launder guesses of an admin token,
 * nor anyone else's). Memory is bounded: at most {@code capacity} addresses are tracked, the least recently seen
 * forgotten first, so spraying addresses costs the attacker its own counters, never the heap.
 */
public final class AuthThrottle {

    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final int limit;
    private final Clock clock;
    private final Map<String, Window> windows;

    /** @param limit failures per window; 0 turns throttling off */
    public AuthThrottle(int limit, int capacity, Clock clock) {
        if (limit < 0 || capacity < 1) {
            throw new IllegalArgumentException("limit must not be negative and capacity must be positive");
        }
        this.limit = limit;
        this.clock = clock;
        // access order: a failure moves the address to the end; the eldest is evicted beyond capacity
        this.windows = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > capacity;
            }
        };
    }

    public static AuthThrottle off() {
        return new AuthThrottle(0, 1, Clock.systemUTC());
    }

    private record Window(Instant start, int failures) {
    }

    /** How long the address must wait, or empty when it may try. Does not count as a failure. */
    public Optional<Duration> refusedFor(String address) {
        if (limit == 0) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        synchronized (windows) {
            Window window = windows.get(address);
            if (window == null || window.failures() < limit) {
                return Optional.empty();
            }
            Duration left = Duration.between(now, window.start().plus(WINDOW));
            return left.isNegative() || left.isZero() ? Optional.empty() : Optional.of(left);
        }
    }

    /** Counts a failed authentication from the address. */
    public void failed(String address) {
        if (limit == 0) {
            return;
        }
        Instant now = clock.instant();
        synchronized (windows) {
            Window window = windows.get(address);
            if (window == null || !now.isBefore(window.start().plus(WINDOW))) {
                windows.put(address, new Window(now, 1));
            } else {
                windows.put(address, new Window(window.start(), window.failures() + 1));
            }
        }
    }

    /** How many addresses are tracked now (for tests and figures). */
    public int trackedAddresses() {
        synchronized (windows) {
            return windows.size();
        }
    }
}
