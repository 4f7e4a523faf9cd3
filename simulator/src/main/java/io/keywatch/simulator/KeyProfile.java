package io.keywatch.simulator;

import io.keywatch.events.KeyMetadata;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How one simulated API key is normally used, and what the key registry knows about it.
 *
 * @param index             position in the population (0-based); part of the key's random coordinates
 * @param keyId             the key's public identifier, as events carry it
 * @param owner             a fictional customer the key was issued to
 * @param meanRatePerMinute average requests per minute over a day (rate scale included) while the key is in use
 * @param homeCountry       where the owner's clients are
 * @param service           the one service this key's integration calls
 * @param routes            the routes it calls, weighted
 * @param clients           the machines it calls from, weighted (mostly one to four)
 * @param lifecycle         whether the key makes ordinary traffic ({@link KeyLifecycle#ACTIVE}) or is silent
 * @param metadata          the key's registry entry: scopes of its routes, dates, rate limit; null for a key
 *                          outside the registry
 * @param lastUsedAt        for a silent key, when its ordinary traffic stopped; null for an active key
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
        List<ClientEndpoint> clients,
        KeyLifecycle lifecycle,
        KeyMetadata metadata,
        Instant lastUsedAt) {

    public KeyProfile {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(rhythm, "rhythm");
        Objects.requireNonNull(lifecycle, "lifecycle");
        routes = List.copyOf(routes);
        clients = List.copyOf(clients);
        if (routes.isEmpty() || clients.isEmpty()) {
            throw new IllegalArgumentException("a key needs at least one route and one client");
        }
        if (!lifecycle.makesTraffic() && lastUsedAt == null) {
            throw new IllegalArgumentException("a " + lifecycle + " key needs the time of its last use");
        }
    }

    /** An active key without registry metadata. */
    public KeyProfile(int index, String keyId, String owner, double meanRatePerMinute, DailyRhythm rhythm,
                      String homeCountry, String service, List<Route> routes, List<ClientEndpoint> clients) {
        this(index, keyId, owner, meanRatePerMinute, rhythm, homeCountry, service, routes, clients,
                KeyLifecycle.ACTIVE, null, null);
    }

    /** Expected ordinary requests per second at {@code time}: the mean rate shaped by the daily rhythm; 0 when silent. */
    public double ratePerSecondAt(Instant time) {
        if (!lifecycle.makesTraffic()) {
            return 0;
        }
        return meanRatePerMinute / 60.0 * rhythm.factorAt(time);
    }

    /** The busiest minute's expected requests, at the top of the daily rhythm (0 for a silent key). */
    public double peakRatePerMinute() {
        return lifecycle.makesTraffic() ? meanRatePerMinute * (1 + rhythm.amplitude()) : 0;
    }

    /** The scopes the key's routes need, which are the scopes it holds: {@code <service>:read} and/or {@code :write}. */
    public List<String> routeScopes() {
        return routes.stream().map(route -> RequestFactory.scope(service, route)).distinct().sorted().toList();
    }

    /** The key's registered rate limit, or null when it has none. */
    public Integer rateLimitPerMinute() {
        return metadata == null ? null : metadata.rateLimitPerMinute();
    }

    KeyProfile withRegistry(KeyLifecycle newLifecycle, KeyMetadata newMetadata, Instant newLastUsedAt) {
        return new KeyProfile(index, keyId, owner, meanRatePerMinute, rhythm, homeCountry, service, routes, clients,
                newLifecycle, newMetadata, newLastUsedAt);
    }
}
