package io.keywatch.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the registry knows about a key. Never holds a secret. Every field may be null where it was not registered.
 *
 * @param scopes             the scopes the key holds
 * @param rateLimitPerMinute the key's registered request limit
 * @param autoRevoke         false protects the key from automatic revocation
 * @param allowedCountries   ISO 3166-1 alpha-2 codes the key may be used from; empty or null = anywhere
 * @param allowedCidrs       address ranges the key may be used from; empty or null = anywhere
 * @param thresholds         per-key detector overrides, by setting name (e.g. {@code volume.floor}); see the README
 * @param canary             true for a decoy key planted where only an attacker would find it: any use is an alert,
 *                           and automatic revocation never acts on it (that would tell the attacker)
 * @param plantedAt          where the decoy was planted (free text, e.g. a repository path); null for a real key
 */
public record KeyMetadata(
        String owner,
        String service,
        List<String> scopes,
        Instant createdAt,
        Instant expiresAt,
        Integer rateLimitPerMinute,
        Boolean autoRevoke,
        List<String> allowedCountries,
        List<String> allowedCidrs,
        Map<String, Double> thresholds,
        Boolean canary,
        String plantedAt) {

    public KeyMetadata {
        scopes = scopes == null ? null : List.copyOf(scopes);
        allowedCountries = allowedCountries == null ? null : List.copyOf(allowedCountries);
        allowedCidrs = allowedCidrs == null ? null : List.copyOf(allowedCidrs);
        thresholds = thresholds == null ? null : Map.copyOf(thresholds);
    }

    /** A real key's entry (not a canary): the form every registration had before canaries. */
    public KeyMetadata(String owner, String service, List<String> scopes, Instant createdAt, Instant expiresAt,
                       Integer rateLimitPerMinute, Boolean autoRevoke, List<String> allowedCountries,
                       List<String> allowedCidrs, Map<String, Double> thresholds) {
        this(owner, service, scopes, createdAt, expiresAt, rateLimitPerMinute, autoRevoke, allowedCountries,
                allowedCidrs, thresholds, null, null);
    }

    /** Not {@code isCanary()}: Jackson would take that for the {@code canary} property and write false for real keys. */
    public boolean canaryKey() {
        return canary != null && canary;
    }

    public boolean autoRevokeAllowed() {
        return autoRevoke == null || autoRevoke;
    }
}
