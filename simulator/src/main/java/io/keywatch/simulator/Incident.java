package io.keywatch.simulator;

import io.keywatch.events.AuthResult;
import java.time.Instant;
import java.util.Locale;

/**
 * What an injected incident actually produced, counted from its events.
 *
 * @param start      the plan's start; every event is at or after it
 * @param end        the plan's end; every event is before it
 * @param authResult what the incident's events report (the most frequent result where they differ)
 * @param statuses   the HTTP statuses that occur, e.g. {@code "200, 404"}
 */
public record Incident(
        IncidentKind kind, String keyId, Instant start, Instant end, int count, int distinctIps,
        int distinctCountries, AuthResult authResult, String statuses) {

    /** One line for logs and demo output. */
    public String describe() {
        return String.format(Locale.ROOT, "%s on key %s: %d requests (%s, status %s) from %s to %s, %d %s in %d %s",
                kind, keyId, count, authResult, statuses, start, end, distinctIps, distinctIps == 1 ? "IP" : "IPs",
                distinctCountries, distinctCountries == 1 ? "country" : "countries");
    }
}
