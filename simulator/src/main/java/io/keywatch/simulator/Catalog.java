package io.keywatch.simulator;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/** The simulated world: services and their routes, countries, client software, and documentation IP ranges. */
final class Catalog {

    /** A service and its routes. */
    record Service(String name, List<Route> routes) {
    }

    /**
     * A country and the UTC hour at which its business traffic peaks (mid-afternoon local time), which sets the
     * phase of its keys' daily rhythm.
     */
    record Country(String code, double peakHourUtc) {
    }

    static final List<Service> SERVICES = List.of(
            new Service("billing", List.of(
                    new Route("GET", "/v1/invoices", 3, 45),
                    new Route("GET", "/v1/invoices/{id}", 5, 25),
                    new Route("POST", "/v1/invoices", 1, 90),
                    new Route("GET", "/v1/customers/{id}", 2, 30))),
            new Service("payments", List.of(
                    new Route("POST", "/v1/payments", 4, 180),
                    new Route("GET", "/v1/payments/{id}", 3, 35),
                    new Route("POST", "/v1/refunds", 1, 150),
                    new Route("GET", "/v1/balance", 1, 20))),
            new Service("storage", List.of(
                    new Route("GET", "/v1/buckets/{bucket}/objects/{key}", 6, 60),
                    new Route("PUT", "/v1/buckets/{bucket}/objects/{key}", 2, 120),
                    new Route("GET", "/v1/buckets/{bucket}/objects", 1, 80),
                    new Route("DELETE", "/v1/buckets/{bucket}/objects/{key}", 0.5, 50))),
            new Service("search", List.of(
                    new Route("GET", "/v1/search", 8, 70),
                    new Route("GET", "/v1/suggest", 4, 15),
                    new Route("POST", "/v1/indexes/{index}/documents", 1, 110))),
            new Service("messaging", List.of(
                    new Route("POST", "/v1/messages", 5, 95),
                    new Route("GET", "/v1/messages/{id}", 2, 25),
                    new Route("GET", "/v1/conversations/{id}/messages", 2, 55))),
            new Service("geo", List.of(
                    new Route("GET", "/v1/geocode", 6, 40),
                    new Route("GET", "/v1/routes", 2, 140),
                    new Route("GET", "/v1/places/{id}", 2, 30))));

    /** Where legitimate customers are. */
    static final List<Country> HOME_COUNTRIES = List.of(
            new Country("US", 20), new Country("CA", 20), new Country("MX", 21), new Country("BR", 18),
            new Country("GB", 15), new Country("IE", 15), new Country("DE", 14), new Country("FR", 14),
            new Country("NL", 14), new Country("ES", 14), new Country("SE", 14), new Country("PL", 14),
            new Country("IN", 9.5), new Country("SG", 7), new Country("JP", 6), new Country("AU", 4));

    /** Where misused keys get called from; at least 12 so a leaked key can be spread over many countries. */
    static final List<String> ABUSE_COUNTRIES = List.of(
            "BR", "IN", "VN", "ID", "NG", "RO", "UA", "TR", "CN", "RU", "KR", "AR", "TH", "PK", "EG", "US");

    /**
     * Admin routes every service has, needing {@code <service>:admin}: a scope no simulated key holds, so calls to
     * them are what a scope violation looks like.
     */
    static final List<Route> ADMIN_ROUTES = List.of(
            new Route("GET", "/v1/admin/keys", 1, 30),
            new Route("DELETE", "/v1/admin/keys/{id}", 1, 40),
            new Route("GET", "/v1/admin/audit-log", 1, 60),
            new Route("POST", "/v1/admin/users", 1, 80));

    /** The scope an admin route needs. */
    static String adminScope(String service) {
        return service + ":admin";
    }

    /** Client software legitimate integrations run. */
    static final List<String> CLIENT_AGENTS = List.of(
            "python-requests/2.32.3", "okhttp/4.12.0", "Go-http-client/2.0", "axios/1.7.7", "Java-http-client/17.0.15",
            "node-fetch/3.3.2", "Ruby/3.3 faraday/2.12.0", "curl/8.7.1", "aws-sdk-java/2.28.1", "dotnet-httpclient/8.0");

    /** Client software of scripted abuse. */
    static final List<String> ABUSE_AGENTS = List.of(
            "python-requests/2.31.0", "curl/7.88.1", "Go-http-client/1.1", "python-httpx/0.27.0", "Mozilla/5.0");

    /** RFC 5737 documentation ranges: never anybody's real address. */
    private static final List<String> IPV4_DOCUMENTATION_PREFIXES = List.of("192.0.2.", "198.51.100.", "203.0.113.");

    private Catalog() {
    }

    /** A random address from the RFC 5737 ranges (762 of them: different keys may share one, as behind a NAT). */
    static String documentationIpv4(SplittableRandom rng) {
        return RandomDraws.pick(rng, IPV4_DOCUMENTATION_PREFIXES) + (1 + rng.nextInt(254));
    }

    /** A random address in the RFC 3849 documentation prefix {@code 2001:db8::/32}: plenty for attacker fleets. */
    static String documentationIpv6(SplittableRandom rng) {
        return String.format(Locale.ROOT, "2001:db8:%x:%x::%x",
                rng.nextInt(0x10000), rng.nextInt(0x10000), 1 + rng.nextInt(0xfffe));
    }
}
