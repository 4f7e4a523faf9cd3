package io.keywatch.ingest.simulator;

/** The kinds of misuse the simulator can inject. */
public enum IncidentKind {
    /** The key leaked: sudden volume from many IPs in many countries, all authenticated. */
    LEAKED_KEY,
    /** Someone guesses the key's secret: a burst of failed credential checks from one to three IPs. */
    BRUTE_FORCE,
    /** Successful-looking requests with a key that has been revoked (the service has not caught up yet). */
    REVOKED_KEY_REUSE
}
