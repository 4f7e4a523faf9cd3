package io.keywatch.simulator;

import io.keywatch.events.AuthResult;
import io.keywatch.events.CredentialLocation;
import io.keywatch.events.UsageEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Turns an {@link IncidentPlan} into the requests a service would report while it happens. */
final class IncidentFactory {

    /** Coordinate that separates incidents' random stream from ordinary traffic's. */
    private static final long INCIDENT_STREAM = 0x696E63L;
    /** Share of a rate-limit abuse's requests the service rejects with 429. */
    private static final double RATE_LIMITED_SHARE = 0.4;

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
        IncidentKind kind = plan.kind();
        Route route = kind == IncidentKind.SCOPE_VIOLATION
                ? RandomDraws.pick(rng, Catalog.ADMIN_ROUTES)
                : RequestFactory.pickRoute(key.routes(), rng);
        String scope = kind == IncidentKind.SCOPE_VIOLATION
                ? Catalog.adminScope(key.service())
                : RequestFactory.scope(key.service(), route);
        AuthResult auth;
        int status;
        switch (kind) {
            case BRUTE_FORCE -> {
                auth = AuthResult.INVALID_SECRET;
                status = 401;
            }
            case LEAKED_KEY -> {
                auth = AuthResult.OK;
                status = rng.nextDouble() < 0.95 ? 200 : 404; // whoever has the key probes ids that do not exist
            }
            case SCOPE_VIOLATION -> {
                auth = AuthResult.SCOPE_DENIED;
                status = 403;
            }
            case RATE_LIMIT_ABUSE -> {
                boolean rejected = rng.nextDouble() < RATE_LIMITED_SHARE;
                auth = rejected ? AuthResult.RATE_LIMITED : AuthResult.OK;
                status = rejected ? 429 : 200;
            }
            default -> {
                auth = AuthResult.OK;
                status = 200;
            }
        }
        boolean tls = kind != IncidentKind.INSECURE_TRANSPORT;
        CredentialLocation location = kind == IncidentKind.KEY_IN_URL ? CredentialLocation.QUERY : CredentialLocation.HEADER;
        return UsageEvent.of(RandomDraws.uuid(rng).toString(), key.keyId(), time, key.service(), auth)
                .withRequest(route.method(), route.path(), status)
                .withClient(source.ip(), source.country(), source.userAgent())
                .withDetails(RequestFactory.latency(route, status, rng), scope, tls, location);
    }

    private static List<Source> sources(IncidentPlan plan, KeyProfile key, SplittableRandom rng) {
        return switch (plan.kind().sources()) {
            case FOREIGN -> foreignSources(plan, key, rng);
            case OWN_CLIENTS -> key.clients().stream()
                    .limit(plan.sourceIps())
                    .map(c -> new Source(c.ip(), c.country(), c.userAgent()))
                    .toList();
            case NEW_IPS_AT_HOME -> newIps(plan.sourceIps(), List.of(key.homeCountry()), key,
                    key.clients().get(0).userAgent(), rng);
            case NEW_COUNTRY -> {
                Set<String> used = key.clients().stream().map(ClientEndpoint::country)
                        .collect(Collectors.toCollection(HashSet::new));
                used.add(key.homeCountry());
                Set<String> candidates = new LinkedHashSet<>(Catalog.ABUSE_COUNTRIES);
                Catalog.HOME_COUNTRIES.forEach(c -> candidates.add(c.code()));
                candidates.removeAll(used);
                List<String> countries = new ArrayList<>(candidates);
                shuffle(countries, rng);
                yield newIps(plan.sourceIps(), countries.subList(0, Math.min(plan.sourceCountries(), countries.size())),
                        key, RandomDraws.pick(rng, Catalog.ABUSE_AGENTS), rng);
            }
        };
    }

    /** Distinct IPs, none of them the key's own clients, spread round-robin over distinct foreign countries. */
    private static List<Source> foreignSources(IncidentPlan plan, KeyProfile key, SplittableRandom rng) {
        List<String> countries = new ArrayList<>(Catalog.ABUSE_COUNTRIES);
        countries.remove(key.homeCountry());
        shuffle(countries, rng);
        countries = countries.subList(0, plan.sourceCountries());

        Set<String> taken = key.clients().stream().map(ClientEndpoint::ip).collect(Collectors.toCollection(HashSet::new));
        List<Source> sources = new ArrayList<>(plan.sourceIps());
        for (int i = 0; i < plan.sourceIps(); i++) {
            String ip = newIp(taken, rng);
            sources.add(new Source(ip, countries.get(i % countries.size()), RandomDraws.pick(rng, Catalog.ABUSE_AGENTS)));
        }
        return sources;
    }

    /** {@code count} IPs the key has never used, round-robin over {@code countries}, all with one user agent. */
    private static List<Source> newIps(int count, List<String> countries, KeyProfile key, String userAgent,
                                       SplittableRandom rng) {
        Set<String> taken = key.clients().stream().map(ClientEndpoint::ip).collect(Collectors.toCollection(HashSet::new));
        List<Source> sources = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            sources.add(new Source(newIp(taken, rng), countries.get(i % countries.size()), userAgent));
        }
        return sources;
    }

    /** A few IPv4 documentation addresses, the rest from the much larger IPv6 documentation prefix; never in {@code taken}. */
    private static String newIp(Set<String> taken, SplittableRandom rng) {
        String ip;
        do {
            ip = rng.nextDouble() < 0.3 ? Catalog.documentationIpv4(rng) : Catalog.documentationIpv6(rng);
        } while (!taken.add(ip));
        return ip;
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
        Map<AuthResult, Integer> results = new EnumMap<>(AuthResult.class);
        for (UsageEvent e : events) {
            ips.add(e.clientIp());
            countries.add(e.country());
            statuses.add(e.status());
            results.merge(e.authResult(), 1, Integer::sum);
        }
        // the most frequent result (the first in enum order on a tie): OK for a rate-limit abuse
        AuthResult mostFrequent = results.entrySet().stream()
                .reduce((a, b) -> b.getValue() > a.getValue() ? b : a).orElseThrow().getKey();
        return new Incident(plan.kind(), plan.keyId(), plan.start(), plan.end(), events.size(), ips.size(),
                countries.size(), mostFrequent, statuses.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }

    private static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            list.set(j, list.set(i, list.get(j)));
        }
    }
}
