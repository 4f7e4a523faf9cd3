package io.keywatch.tools.bench;

import java.time.Duration;
import java.util.List;

/**
 * How big a bench run is.
 *
 * @param keys        registered keys whose simulated traffic makes the throughput and background load
 * @param events      events published as fast as possible in the throughput phase (and again through the baseline)
 * @param rate        background events per second during the detection and revocation phase
 * @param incidents   brute-force incidents injected, each on its own registered key
 * @param alerts      synthetic alerts inserted into PostgreSQL for the API phase
 * @param apiDuration how long the API clients run
 * @param apiClients  concurrent API clients
 * @param publisher   where the latency phases' background traffic is sent from
 * @param liveRates   the steps of the live phase ({@code --live}), events/s; empty: no live phase
 */
public record BenchSettings(int keys, int events, int rate, int incidents, int alerts, Duration apiDuration,
                            int apiClients, Publisher publisher, List<Integer> liveRates) {

    /**
     * The latency phases' background traffic: generated and sent by the bench's own JVM, which also runs keywatch, or
     * by a child JVM, so that the measured JVM runs only keywatch and the phases' probes.
     */
    public enum Publisher { IN_PROCESS, PROCESS }

    public BenchSettings(int keys, int events, int rate, int incidents, int alerts, Duration apiDuration,
                         int apiClients) {
        this(keys, events, rate, incidents, alerts, apiDuration, apiClients, Publisher.IN_PROCESS, List.of());
    }

    public BenchSettings withPublisher(Publisher publisher) {
        return new BenchSettings(keys, events, rate, incidents, alerts, apiDuration, apiClients, publisher, liveRates);
    }

    public BenchSettings withLiveRates(List<Integer> liveRates) {
        return new BenchSettings(keys, events, rate, incidents, alerts, apiDuration, apiClients, publisher, liveRates);
    }

    public static final BenchSettings FULL =
            new BenchSettings(100_000, 3_000_000, 20_000, 50, 1_000_000, Duration.ofSeconds(20), 16);
    /**
     * Under two minutes on a 2-core machine. Fewer events than the issue's ~300,000 and a background rate of 5,000
     * events/s rather than 20,000: on such a machine the topology processes about 5,000-7,000 events/s, so 300,000
     * events alone take a minute and 20,000 events/s builds a backlog that turns the latency numbers into queueing
     * time (the full run shows that).
     */
    public static final BenchSettings QUICK =
            new BenchSettings(10_000, 200_000, 5_000, 50, 50_000, Duration.ofSeconds(5), 16);

    public BenchSettings {
        positive("keys", keys);
        positive("events", events);
        positive("rate", rate);
        positive("incidents", incidents);
        positive("alerts", alerts);
        positive("API clients", apiClients);
        if (publisher == null) {
            throw new IllegalArgumentException("publisher must be given");
        }
        liveRates = List.copyOf(liveRates);
        if (liveRates.stream().distinct().count() != liveRates.size()) {
            throw new IllegalArgumentException("live rates must differ from each other, got " + liveRates);
        }
        liveRates.forEach(r -> positive("live rate", r));
        if (apiDuration == null || apiDuration.isNegative() || apiDuration.isZero()) {
            throw new IllegalArgumentException("the API phase must last a positive time, got " + apiDuration);
        }
    }

    private static void positive(String what, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
