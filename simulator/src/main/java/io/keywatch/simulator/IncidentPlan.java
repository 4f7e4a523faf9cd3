package io.keywatch.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An incident to inject: its requests are spread uniformly over {@code [start, start + duration)}.
 *
 * @param count           how many requests
 * @param sourceIps       how many distinct client IPs they come from (all used once {@code count} allows)
 * @param sourceCountries how many distinct countries those IPs are spread over; never the key's home country
 */
public record IncidentPlan(
        IncidentKind kind, String keyId, Instant start, int count, Duration duration, int sourceIps,
        int sourceCountries) {

    public static final int MAX_COUNT = 100_000;
    public static final int MAX_SOURCE_IPS = 10_000;
    /** Abuse countries minus, possibly, the key's home country. */
    public static final int MAX_SOURCE_COUNTRIES = Catalog.ABUSE_COUNTRIES.size() - 1;
    /** The limit a rate-limit abuse assumes for a key without a registered one. */
    public static final int DEFAULT_RATE_LIMIT_PER_MINUTE = 300;
    /** How long a rate-limit abuse lasts, in whole minutes. */
    public static final int RATE_LIMIT_ABUSE_MINUTES = 6;

    public IncidentPlan {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("keyId must not be blank");
        }
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("count must be between 1 and " + MAX_COUNT + ", got " + count);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most one hour, got " + duration);
        }
        if (sourceIps < 1 || sourceIps > MAX_SOURCE_IPS) {
            throw new IllegalArgumentException(
                    "sourceIps must be between 1 and " + MAX_SOURCE_IPS + ", got " + sourceIps);
        }
        if (sourceCountries < 1 || sourceCountries > Math.min(sourceIps, MAX_SOURCE_COUNTRIES)) {
            throw new IllegalArgumentException("sourceCountries must be between 1 and min(sourceIps, "
                    + MAX_SOURCE_COUNTRIES + "), got " + sourceCountries);
        }
    }

    /** 1,500 authenticated requests within 40 s from 48 IPs in 10 countries. */
    public static IncidentPlan leakedKey(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.LEAKED_KEY, keyId, start, 1500, Duration.ofSeconds(40), 48, 10);
    }

    /** 300 INVALID_SECRET requests (status 401) within 30 s from 2 IPs in 1 country. */
    public static IncidentPlan bruteForce(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.BRUTE_FORCE, keyId, start, 300, Duration.ofSeconds(30), 2, 1);
    }

    /** 5 authenticated requests (status 200) within 20 s from 1 IP. */
    public static IncidentPlan revokedKeyReuse(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.REVOKED_KEY_REUSE, keyId, start, 5, Duration.ofSeconds(20), 1, 1);
    }

    /** 5 authenticated requests (status 200) within 60 s from the key's own client, after the key expired. */
    public static IncidentPlan expiredKeyUse(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.EXPIRED_KEY_USE, keyId, start, 5, Duration.ofSeconds(60), 1, 1);
    }

    /**
     * 30 calls within 50 s from the key's own client to admin routes that need {@code <service>:admin}, a scope no
     * key holds; the service rejects them as SCOPE_DENIED (403).
     */
    public static IncidentPlan scopeViolation(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.SCOPE_VIOLATION, keyId, start, 30, Duration.ofSeconds(50), 1, 1);
    }

    /**
     * Twice {@code rateLimitPerMinute} requests in each of six minutes (spread uniformly) from up to 4 of the key's
     * own clients; about 40% are rejected as RATE_LIMITED (429), the rest succeed. Start it on a minute boundary for
     * six whole minutes above the limit.
     */
    public static IncidentPlan rateLimitAbuse(String keyId, Instant start, int rateLimitPerMinute) {
        if (rateLimitPerMinute < 1) {
            throw new IllegalArgumentException("rateLimitPerMinute must be positive, got " + rateLimitPerMinute);
        }
        int minutes = RATE_LIMIT_ABUSE_MINUTES;
        int count = (int) Math.min(MAX_COUNT, 2L * rateLimitPerMinute * minutes);
        return new IncidentPlan(IncidentKind.RATE_LIMIT_ABUSE, keyId, start, count, Duration.ofMinutes(minutes), 4, 1);
    }

    /** 120 authenticated requests within 90 s from 60 new IPs, all in the key's home country. */
    public static IncidentPlan ipFanout(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.IP_FANOUT, keyId, start, 120, Duration.ofSeconds(90), 60, 1);
    }

    /** 5 authenticated requests within 60 s from one new IP in a country none of the key's clients is in. */
    public static IncidentPlan newCountry(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.NEW_COUNTRY, keyId, start, 5, Duration.ofSeconds(60), 1, 1);
    }

    /** 10 authenticated requests within 5 min from the key's own client over plain HTTP ({@code tls=false}). */
    public static IncidentPlan insecureTransport(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.INSECURE_TRANSPORT, keyId, start, 10, Duration.ofMinutes(5), 1, 1);
    }

    /** 10 authenticated requests within 5 min from the key's own client, key in the query string. */
    public static IncidentPlan keyInUrl(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.KEY_IN_URL, keyId, start, 10, Duration.ofMinutes(5), 1, 1);
    }

    /** 20 authenticated requests within 10 min from the (silent) key's own former client. */
    public static IncidentPlan dormantKeyReactivation(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.DORMANT_KEY_REACTIVATION, keyId, start, 20, Duration.ofMinutes(10), 1, 1);
    }

    /** 20 authenticated requests within 10 min for a key id outside the registry, from one client. */
    public static IncidentPlan unknownKey(String keyId, Instant start) {
        return new IncidentPlan(IncidentKind.UNKNOWN_KEY, keyId, start, 20, Duration.ofMinutes(10), 1, 1);
    }

    /** The default plan of {@code kind}; a rate-limit abuse assumes a limit of 300 requests per minute. */
    public static IncidentPlan of(IncidentKind kind, String keyId, Instant start) {
        return switch (kind) {
            case LEAKED_KEY -> leakedKey(keyId, start);
            case BRUTE_FORCE -> bruteForce(keyId, start);
            case REVOKED_KEY_REUSE -> revokedKeyReuse(keyId, start);
            case EXPIRED_KEY_USE -> expiredKeyUse(keyId, start);
            case SCOPE_VIOLATION -> scopeViolation(keyId, start);
            case RATE_LIMIT_ABUSE -> rateLimitAbuse(keyId, start, DEFAULT_RATE_LIMIT_PER_MINUTE);
            case IP_FANOUT -> ipFanout(keyId, start);
            case NEW_COUNTRY -> newCountry(keyId, start);
            case INSECURE_TRANSPORT -> insecureTransport(keyId, start);
            case KEY_IN_URL -> keyInUrl(keyId, start);
            case DORMANT_KEY_REACTIVATION -> dormantKeyReactivation(keyId, start);
            case UNKNOWN_KEY -> unknownKey(keyId, start);
        };
    }

    /**
     * The plan of {@code kind} sized to {@code key}, so that it stands out against the key's own traffic: a leak
     * brings at least 12 times the key's peak minute (a 40 s leak may straddle two minutes, and keywatch wants
     * several times the baseline in one); a rate-limit abuse doubles the key's registered limit; an IP fan-out
     * sends about 90 s of the key's usual volume (at least 120 requests, so that all 60 IPs appear). Other kinds
     * keep their default shape.
     */
    public static IncidentPlan forKey(IncidentKind kind, KeyProfile key, Instant start) {
        return switch (kind) {
            case LEAKED_KEY -> {
                IncidentPlan plan = leakedKey(key.keyId(), start);
                double peak = key.meanRatePerMinute() * (1 + key.rhythm().amplitude());
                int count = (int) Math.min(MAX_COUNT, Math.max(plan.count(), Math.ceil(12 * peak)));
                yield plan.withCount(count, plan.duration());
            }
            case RATE_LIMIT_ABUSE -> rateLimitAbuse(key.keyId(), start,
                    key.rateLimitPerMinute() != null ? key.rateLimitPerMinute() : DEFAULT_RATE_LIMIT_PER_MINUTE);
            case IP_FANOUT -> {
                IncidentPlan plan = ipFanout(key.keyId(), start);
                int count = (int) Math.min(MAX_COUNT, Math.max(plan.count(), Math.round(1.5 * key.meanRatePerMinute())));
                yield plan.withCount(count, plan.duration());
            }
            default -> of(kind, key.keyId(), start);
        };
    }

    public Instant end() {
        return start.plus(duration);
    }

    public IncidentPlan withStart(Instant start) {
        return new IncidentPlan(kind, keyId, start, count, duration, sourceIps, sourceCountries);
    }

    public IncidentPlan withCount(int count, Duration duration) {
        return new IncidentPlan(kind, keyId, start, count, duration, sourceIps, sourceCountries);
    }

    public IncidentPlan withSources(int sourceIps, int sourceCountries) {
        return new IncidentPlan(kind, keyId, start, count, duration, sourceIps, sourceCountries);
    }
}
