package io.keywatch.ingest.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one simulated API key is normally used.
 *
 * @param index             position in the population (0-based); part of the key's random coordinates
 * @param keyId             the key's public identifier, as events carry it
 * @param owner             a fictional customer the key was issued to
 * @param meanRatePerMinute average requests per minute over a day (rate scale included)
 * @param homeCountry       where the owner's clients are
 * @param service           the one service this key's integration calls
 * @param routes            the routes it calls, weighted
 * @param clients           the machines it calls from, weighted (mostly one to four)
 */
public record KeyProfile(
        int index,
        String keyId,
        String owner,
        double meanRatePerMinute,
        DailyRhythm rhythm,
        String homeCountry,
        String service,
        List<Route> routes,
        List<ClientEndpoint> clients) {

    public KeyProfile {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(rhythm, "rhythm");
        routes = List.copyOf(routes);
        clients = List.copyOf(clients);
        if (routes.isEmpty() || clients.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one route and one client");
        }
    }

    /** Expected requests per second at {@code time}: the mean rate shaped by the daily rhythm. */
    public double ratePerSecondAt(Instant time) {
        return meanRatePerMinute / 60.0 * rhythm.factorAt(time);
    }
}
