package io.keywatch.events;

import java.time.Instant;
import java.util.Objects;

/**
 * One request made with an API key, as a service reports it. Carries the key's public identifier, never its
 * secret. Optional fields are null when the service did not report them.
 */
public record UsageEvent(
        String eventId,
        String keyId,
        Instant timestamp,
        String service,
        String method,
        String path,
        Integer status,
        AuthResult authResult,
        String clientIp,
        String userAgent,
        String country,
        Integer latencyMs,
        String scope,
        Boolean tls,
        CredentialLocation credentialLocation) {

    public UsageEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(authResult, "authResult");
    }

    /** Starts an event with its required fields; the optional ones are set with the {@code with...} methods. */
    public static UsageEvent of(String eventId, String keyId, Instant timestamp, String service, AuthResult authResult) {
        return new UsageEvent(eventId, keyId, timestamp, service, null, null, null, authResult,
                null, null, null, null, null, null, null);
    }

    public UsageEvent withRequest(String method, String path, Integer status) {
        return new UsageEvent(eventId, keyId, timestamp, service, method, path, status, authResult,
                clientIp, userAgent, country, latencyMs, scope, tls, credentialLocation);
    }

    public UsageEvent withClient(String clientIp, String country, String userAgent) {
        return new UsageEvent(eventId, keyId, timestamp, service, method, path, status, authResult,
                clientIp, userAgent, country, latencyMs, scope, tls, credentialLocation);
    }

    public UsageEvent withDetails(Integer latencyMs, String scope, Boolean tls, CredentialLocation credentialLocation) {
        return new UsageEvent(eventId, keyId, timestamp, service, method, path, status, authResult,
                clientIp, userAgent, country, latencyMs, scope, tls, credentialLocation);
    }
}
