package io.keywatch.ingest.simulator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Creates the simulated keys and how each is used; the same settings always give the same population. */
final class KeyPopulation {

    /** Coordinate that separates the population's random stream from traffic and incident streams. */
    private static final long PROFILE_STREAM = 0x6B6579L;
    private static final String KEY_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final List<String> OWNERS = List.of(
            "northwind", "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "cyberdyne",
            "soylent", "wonka", "gringotts", "oscorp", "aperture", "vandelay", "pied-piper", "dunder", "monarch", "zorg");
    /** Clients per key: mostly one to four. */
    private static final double[] CLIENT_COUNT_WEIGHTS = {0, 40, 30, 15, 10, 3, 2};

    private KeyPopulation() {
    }

    static List<KeyProfile> create(SimulatorSettings settings) {
        List<KeyProfile> keys = new ArrayList<>(settings.keys());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < settings.keys(); i++) {
            SplittableRandom rng = RandomDraws.forCoordinates(settings.seed(), PROFILE_STREAM, i);
            String keyId = newKeyId(rng);
            while (!ids.add(keyId)) {
                keyId = newKeyId(rng); // a collision is astronomically rare, but ids must be unique
            }
            keys.add(create(i, keyId, settings, rng));
        }
        return List.copyOf(keys);
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

    private static String newKeyId(SplittableRandom rng) {
        StringBuilder id = new StringBuilder("pk_");
        for (int i = 0; i < 16; i++) {
            id.append(KEY_ALPHABET.charAt(rng.nextInt(KEY_ALPHABET.length())));
        }
        return id.toString();
    }
}
