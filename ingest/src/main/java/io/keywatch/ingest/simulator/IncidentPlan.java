package io.keywatch.ingest.simulator;

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

    /** The default plan of {@code kind}. */
    public static IncidentPlan of(IncidentKind kind, String keyId, Instant start) {
        return switch (kind) {
            case LEAKED_KEY -> leakedKey(keyId, start);
            case BRUTE_FORCE -> bruteForce(keyId, start);
            case REVOKED_KEY_REUSE -> revokedKeyReuse(keyId, start);
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
