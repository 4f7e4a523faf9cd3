package io.keywatch.ingest.simulator;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns an {@link IncidentPlan} into the requests a service would report while it happens. */
final class IncidentFactory {

    /** Coordinate that separates incidents' random stream from ordinary traffic's. */
    private static final long INCIDENT_STREAM = 0x696E63L;

    private record Source(String ip, String country, String userAgent) {
    }

    private IncidentFactory() {
    }

    static IncidentTraffic create(IncidentPlan plan, KeyProfile key, long seed) {
        SplittableRandom rng = RandomDraws.forCoordinates(seed, INCIDENT_STREAM, plan.kind().ordinal(),
                plan.keyId().hashCode(), plan.start().toEpochMilli(), plan.count());
        List<Source> sources = sources(plan, key, rng);
        int[] sourceOfEvent = spreadOverSources(plan.count(), sources.size(), rng);
        long[] offsets = new long[plan.count()];
        long durationMs = Math.max(1, plan.duration().toMillis());
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = rng.nextLong(durationMs);
        }
        Arrays.sort(offsets);

        List<UsageEvent> events = new ArrayList<>(plan.count());
        for (int i = 0; i < plan.count(); i++) {
            events.add(event(plan, key, sources.get(sourceOfEvent[i]), plan.start().plusMillis(offsets[i]), rng));
        }
        return new IncidentTraffic(describe(plan, events), events);
    }

    private static UsageEvent event(IncidentPlan plan, KeyProfile key, Source source, Instant time,
                                    SplittableRandom rng) {
        Route route = RequestFactory.pickRoute(key.routes(), rng);
        AuthResult auth;
        int status;
        switch (plan.kind()) {
            case BRUTE_FORCE -> {
                auth = AuthResult.INVALID_SECRET;
                status = 401;
            }
            case LEAKED_KEY -> {
                auth = AuthResult.OK;
                status = rng.nextDouble() < 0.95 ? 200 : 404; // whoever has the key probes ids that do not exist
            }
            default -> {
                auth = AuthResult.OK;
                status = 200;
            }
        }
        return UsageEvent.of(RandomDraws.uuid(rng).toString(), key.keyId(), time, key.service(), auth)
                .withRequest(route.method(), route.path(), status)
                .withClient(source.ip(), source.country(), source.userAgent())
                .withDetails(RequestFactory.latency(route, status, rng), RequestFactory.scope(key.service(), route),
                        true, CredentialLocation.HEADER);
    }

    /** Distinct IPs, none of them the key's own clients, spread round-robin over distinct foreign countries. */
    private static List<Source> sources(IncidentPlan plan, KeyProfile key, SplittableRandom rng) {
        List<String> countries = new ArrayList<>(Catalog.ABUSE_COUNTRIES);
        countries.remove(key.homeCountry());
        shuffle(countries, rng);
        countries = countries.subList(0, plan.sourceCountries());

        Set<String> taken = key.clients().stream().map(ClientEndpoint::ip).collect(Collectors.toCollection(HashSet::new));
        List<Source> sources = new ArrayList<>(plan.sourceIps());
        for (int i = 0; i < plan.sourceIps(); i++) {
            String ip;
            do {
                // a few IPv4 documentation addresses, the rest from the much larger IPv6 documentation prefix
                ip = rng.nextDouble() < 0.3 ? Catalog.documentationIpv4(rng) : Catalog.documentationIpv6(rng);
            } while (!taken.add(ip));
            sources.add(new Source(ip, countries.get(i % countries.size()), RandomDraws.pick(rng, Catalog.ABUSE_AGENTS)));
        }
        return sources;
    }

    /** Which source sends each event: every source at least once (when there are enough events), then at random. */
    private static int[] spreadOverSources(int events, int sources, SplittableRandom rng) {
        int[] assignment = new int[events];
        for (int i = 0; i < events; i++) {
            assignment[i] = i < sources ? i : rng.nextInt(sources);
        }
        for (int i = events - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int swap = assignment[i];
            assignment[i] = assignment[j];
            assignment[j] = swap;
        }
        return assignment;
    }

    private static Incident describe(IncidentPlan plan, List<UsageEvent> events) {
        Set<String> ips = new HashSet<>();
        Set<String> countries = new HashSet<>();
        Set<Integer> statuses = new TreeSet<>();
        for (UsageEvent e : events) {
            ips.add(e.clientIp());
            countries.add(e.country());
            statuses.add(e.status());
        }
        return new Incident(plan.kind(), plan.keyId(), plan.start(), plan.end(), events.size(), ips.size(),
                countries.size(), events.get(0).authResult(),
                statuses.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
