package io.keywatch.api.health;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Whether a lag keeps growing: remembers the lag seen by the last health checks (one sample per {@link #MIN_GAP}
 * at most, so that a burst of probes counts as one check) and says when it grew on each of the last
 * {@code checks} of them. Not thread-safe: its caller synchronizes.
 */
public final class LagTrend {

    static final Duration MIN_GAP = Duration.ofSeconds(5);

    private final int checks;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public record Sample(long lag, Instant at) {
    }

    /** @param checks consecutive growths that count as "falling behind"; 0 never does */
    public LagTrend(int checks) {
        this.checks = checks;
    }

    /** Records the lag of this check; returns the samples over which it grew every time, or empty. */
    public List<Sample> record(long lag, Instant now) {
        if (checks == 0) {
            return List.of();
        }
        Sample last = samples.peekLast();
        if (last == null || !now.isBefore(last.at().plus(MIN_GAP))) {
            if (last != null && lag <= last.lag()) {
                samples.clear(); // the streak is broken: this sample starts a new one
            }
            samples.addLast(new Sample(lag, now));
            while (samples.size() > checks + 1) {
                samples.removeFirst();
            }
        }
        return samples.size() == checks + 1 ? List.copyOf(samples) : List.of();
    }
}
