package io.keywatch.streams;

import io.keywatch.events.KeyMetadata;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds registry entries for tests: only the fields a test sets are non-null. */
final class Registry {

    private List<String> scopes;
    private Instant createdAt;
    private Instant expiresAt;
    private Integer rateLimitPerMinute;
    private List<String> allowedCountries;
    private List<String> allowedCidrs;
    private final Map<String, Double> thresholds = new HashMap<>();
    private Boolean canary;
    private String plantedAt;

    static Registry entry() {
        return new Registry();
    }

    Registry scopes(String... values) {
        scopes = List.of(values);
        return this;
    }

    Registry createdAt(Instant value) {
        createdAt = value;
        return this;
    }

    Registry expiresAt(Instant value) {
        expiresAt = value;
        return this;
    }

    Registry rateLimitPerMinute(int value) {
        rateLimitPerMinute = value;
        return this;
    }

    Registry allowedCountries(String... values) {
        allowedCountries = List.of(values);
        return this;
    }

    Registry allowedCidrs(String... values) {
        allowedCidrs = List.of(values);
        return this;
    }

    Registry threshold(String name, double value) {
        thresholds.put(name, value);
        return this;
    }

    Registry canary(String where) {
        canary = true;
        plantedAt = where;
        return this;
    }

    KeyMetadata build() {
        return new KeyMetadata("acme", "billing", scopes, createdAt, expiresAt, rateLimitPerMinute, null,
                allowedCountries, allowedCidrs, thresholds.isEmpty() ? null : thresholds, canary, plantedAt);
    }
}
