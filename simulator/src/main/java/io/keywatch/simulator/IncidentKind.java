package io.keywatch.simulator;

import io.keywatch.events.AlertRule;

/**
 * The kinds of misuse the simulator can inject, each with the detector rule that should catch it. The default
 * shapes are in {@link IncidentPlan#of}; {@link IncidentPlan#forKey} sizes them to a key.
 */
public enum IncidentKind {
    /** The key leaked: sudden volume from many IPs in many countries, all authenticated. */
    LEAKED_KEY(AlertRule.VOLUME_SPIKE, Sources.FOREIGN),
    /** Someone guesses the key's secret: a burst of failed credential checks from one to three IPs. */
    BRUTE_FORCE(AlertRule.AUTH_FAILURE_BURST, Sources.FOREIGN),
    /** Successful-looking requests with a key that has been revoked (the service has not caught up yet). */
    REVOKED_KEY_REUSE(AlertRule.REVOKED_KEY_USED, Sources.FOREIGN),
    /** Successful requests with a key after its registered expiry, from a client its owner forgot. */
    EXPIRED_KEY_USE(AlertRule.EXPIRED_KEY_USED, Sources.OWN_CLIENTS),
    /** Calls to admin routes needing {@code <service>:admin}, a scope no key holds: rejected as SCOPE_DENIED (403). */
    SCOPE_VIOLATION(AlertRule.SCOPE_VIOLATION, Sources.OWN_CLIENTS),
    /** Traffic at twice the key's registered rate limit for six whole minutes; the excess partly rejected (429). */
    RATE_LIMIT_ABUSE(AlertRule.RATE_LIMIT_EXCEEDED, Sources.OWN_CLIENTS),
    /** About the key's usual volume, but from dozens of new IPs in its home country within 90 seconds. */
    IP_FANOUT(AlertRule.IP_FANOUT, Sources.NEW_IPS_AT_HOME),
    /** A few authenticated requests from one IP in a country the key's clients have never used. */
    NEW_COUNTRY(AlertRule.NEW_COUNTRY, Sources.NEW_COUNTRY),
    /** Requests from the key's own client over plain HTTP ({@code tls=false}). */
    INSECURE_TRANSPORT(AlertRule.INSECURE_TRANSPORT, Sources.OWN_CLIENTS),
    /** Requests from the key's own client with the key in the query string ({@code credentialLocation=QUERY}). */
    KEY_IN_URL(AlertRule.KEY_IN_URL, Sources.OWN_CLIENTS),
    /** A key silent for more than 30 days becomes active again, from its own former client. */
    DORMANT_KEY_REACTIVATION(AlertRule.DORMANT_KEY_REACTIVATED, Sources.OWN_CLIENTS),
    /** Authenticated traffic for a key id the registry does not know. */
    UNKNOWN_KEY(AlertRule.UNKNOWN_KEY, Sources.OWN_CLIENTS);

    /** Where an incident's requests come from. */
    enum Sources {
        /** New IPs (never the key's own) spread over countries other than the key's home. */
        FOREIGN,
        /** The key's own clients. */
        OWN_CLIENTS,
        /** New IPs, all in the key's home country. */
        NEW_IPS_AT_HOME,
        /** New IPs in countries none of the key's clients is in. */
        NEW_COUNTRY
    }

    private final AlertRule expectedRule;
    private final Sources sources;

    IncidentKind(AlertRule expectedRule, Sources sources) {
        this.expectedRule = expectedRule;
        this.sources = sources;
    }

    /** The rule keywatch should raise for this incident (others may fire too: a leak also comes from new countries). */
    public AlertRule expectedRule() {
        return expectedRule;
    }

    Sources sources() {
        return sources;
    }
}
