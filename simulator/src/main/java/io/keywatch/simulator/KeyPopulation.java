package io.keywatch.simulator;

import io.keywatch.events.KeyMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Creates the simulated keys, how each is used and what the registry knows about it; the same settings and anchor
 * always give the same population.
 *
 * <p>The registry is shaped so that ordinary traffic is quiet for every detector: every key holds exactly the
 * scopes of its routes, was created less than 90 days before the anchor (no rotation due), has a rate limit at
 * least three times its peak rate, and may be used from anywhere or from exactly its clients' countries. In a
 * population of 8 keys or more, every 16th key (from index 5) is {@link KeyLifecycle#DORMANT}, every 16th (from 9)
 * {@link KeyLifecycle#EXPIRED}, and every 16th (from 13) expires within 3 to 13 days of the anchor.
 */
final class KeyPopulation {

    /** Coordinate that separates the population's random stream from traffic and incident streams. */
    private static final long PROFILE_STREAM = 0x6B6579L;
    /** Coordinate of the registry's random stream: separate, so that registry data leaves the profiles unchanged. */
    private static final long REGISTRY_STREAM = 0x726567L;
    /** Populations at least this big get dormant, expired and soon-expiring keys. */
    static final int MIN_KEYS_FOR_LIFECYCLES = 8;
    private static final int CYCLE = 16;
    static final int DORMANT_SLOT = 5;
    static final int EXPIRED_SLOT = 9;
    static final int EXPIRING_SOON_SLOT = 13;
    static final int COUNTRY_ALLOW_LIST_SLOT = 3;
    private static final String KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final List<String> OWNERS = List.of(
            "northwind", "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "cyberdyne",
            "soylent", "wonka", "gringotts", "oscorp", "aperture", "vandelay", "pied-piper", "dunder", "monarch", "zorg");
    /** Clients per key: mostly one to four. */
    private static final double[] CLIENT_COUNT_WEIGHTS = {0, 40, 30, 15, 10, 3, 2};

    private KeyPopulation() {
    }

    static List<KeyProfile> create(SimulatorSettings settings, Instant anchor) {
        List<KeyProfile> keys = new ArrayList<>(settings.keys());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < settings.keys(); i++) {
            SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), PROFILE_STREAM, i);
            String keyId = newKeyId(rng);
            while (!ids.add(keyId)) {
                keyId = newKeyId(rng); // a collision is astronomically rare, but ids must be unique
            }
            KeyProfile profile = create(i, keyId, settings, rng);
            keys.add(register(profile, settings, anchor));
        }
        return List.copyOf(keys);
    }

    /** Decides the key's lifecycle and registry entry, from a random stream of its own. */
    private static KeyProfile register(KeyProfile key, SimulatorSettings settings, Instant anchor) {
        SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), REGISTRY_STREAM, key.index());
        int slot = settings.keys() >= MIN_KEYS_FOR_LIFECYCLES ? key.index() % CYCLE : -1;
        KeyLifecycle lifecycle = slot == DORMANT_SLOT ? KeyLifecycle.DORMANT
                : slot == EXPIRED_SLOT ? KeyLifecycle.EXPIRED : KeyLifecycle.ACTIVE;
        Instant createdAt;
        Instant expiresAt = null;
        Instant lastUsedAt = null;
        switch (lifecycle) {
            case DORMANT -> {
                createdAt = anchor.minus(days(rng, 75, 88));
                lastUsedAt = anchor.minus(days(rng, 35, 60));
            }
            case EXPIRED -> {
                createdAt = anchor.minus(days(rng, 60, 85));
                expiresAt = anchor.minus(days(rng, 2, 10));
                lastUsedAt = expiresAt.minus(Duration.ofMinutes(30 + rng.nextInt(24 * 60)));
            }
            default -> {
                createdAt = anchor.minus(days(rng, 1, 80));
                if (slot == EXPIRING_SOON_SLOT) {
                    expiresAt = anchor.plus(days(rng, 3, 13));
                } else if (rng.nextDouble() < 0.3) {
                    expiresAt = anchor.plus(days(rng, 60, 365));
                }
            }
        }
        List<String> allowedCountries = slot == COUNTRY_ALLOW_LIST_SLOT
                ? key.clients().stream().map(ClientEndpoint::country).distinct().sorted().toList()
                : null;
        KeyMetadata metadata = new KeyMetadata(key.owner(), key.service(), key.routeScopes(), createdAt, expiresAt,
                rateLimit(key), true, allowedCountries, null, null);
        return key.withRegistry(lifecycle, metadata, lastUsedAt);
    }

    /** At least three times the key's busiest expected minute, in tens, and never below 60 per minute. */
    static int rateLimit(KeyProfile key) {
        double peak = key.meanRatePerMinute() * (1 + key.rhythm().amplitude());
        return (int) Math.max(60, Math.ceil(3 * peak / 10) * 10);
    }

    /** A whole number of days between {@code min} and {@code max} plus a random part of a day, so times vary. */
    private static Duration days(SplittableRandom rng, int min, int max) {
        return Duration.ofDays(min + rng.nextInt(max - min + 1)).plusSeconds(rng.nextInt(86_400));
    }

    /** A profile for a key outside the population (an incident on a caller-chosen key id). */
    static KeyProfile forForeignKey(String keyId, SimulatorSettings settings) {
        SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), PROFILE_STREAM, keyId.hashCode(), -1);
        return create(-1, keyId, settings, rng);
    }

    private static KeyProfile create(int index, String keyId, SimulatorSettings settings, SplittableRandom rng) {
        // log-normal spread: the min..max range is about +-2 sigma around the geometric middle, clipped to it
        double logMin = Math.log(settings.minRatePerMinute());
        double logMax = Math.log(settings.maxRatePerMinute());
        double rate = Math.exp((logMin + logMax) / 2 + (logMax - logMin) / 4 * rng.nextGaussian());
        rate = Math.min(settings.maxRatePerMinute(), Math.max(settings.minRatePerMinute(), rate));

        Catalog.Country home = RandomDraws.pick(rng, Catalog.HOME_COUNTRIES);
        DailyRhythm rhythm = new DailyRhythm(
                (home.peakHourUtc() + rng.nextDouble(-1, 1) + 24) % 24, 0.5 + 0.25 * rng.nextDouble());
        Catalog.Service service = RandomDraws.pick(rng, Catalog.SERVICES);
        String owner = RandomDraws.pick(rng, OWNERS) + "-" + (1 + rng.nextInt(99));
        return new KeyProfile(index, keyId, owner, rate * settings.rateScale(), rhythm, home.code(),
                service.name(), routes(service, rng), clients(home, rng));
    }

    private static List<Route> routes(Catalog.Service service, SplittableRandom rng) {
        int wanted = Math.min(service.routes().size(), 2 + rng.nextInt(3));
        Set<Route> chosen = new LinkedHashSet<>();
        while (chosen.size() < wanted) {
            chosen.add(RandomDraws.pick(rng, service.routes()));
        }
        return List.copyOf(chosen);
    }

    private static List<ClientEndpoint> clients(Catalog.Country home, SplittableRandom rng) {
        int count = RandomDraws.weightedIndex(rng, CLIENT_COUNT_WEIGHTS);
        String agent = RandomDraws.pick(rng, Catalog.CLIENT_AGENTS);
        Set<String> ips = new HashSet<>();
        List<ClientEndpoint> clients = new ArrayList<>(count);
        for (int c = 0; c < count; c++) {
            String ip = Catalog.documentationIpv4(rng);
            while (!ips.add(ip)) {
                ip = Catalog.documentationIpv4(rng);
            }
            // now and then an integration also runs in a cloud region abroad
            String country = rng.nextDouble() < 0.9 ? home.code() : RandomDraws.pick(rng, Catalog.HOME_COUNTRIES).code();
            // the first client carries most traffic, the rest share what is left
            double weight = c == 0 ? 4 : 1 + rng.nextDouble();
            clients.add(new ClientEndpoint(ip, country, agent, weight));
        }
        return clients;
    }

    static String newKeyId(SplittableRandom rng) {
        StringBuilder id = new StringBuilder("pk_");
        for (int i = 0; i < 16; i++) {
            id.append(KEY_ALPHABET.charAt(rng.nextInt(KEY_ALPHABET.length())));
        }
        return id.toString();
    }
}
