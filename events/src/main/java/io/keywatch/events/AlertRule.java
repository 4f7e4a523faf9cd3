package io.keywatch.events;

/** The detectors that raise alerts. */
public enum AlertRule {
    /** Requests far above the key's own learned baseline. */
    VOLUME_SPIKE,
    /** Many failed credential checks for one key in a short time: brute force. */
    AUTH_FAILURE_BURST,
    /** A successful-looking use of a key whose state is revoked. */
    REVOKED_KEY_USED,
    /** A successful-looking use of a key after its registered expiry. */
    EXPIRED_KEY_USED,
    /** Calls that need a scope the key does not hold. */
    SCOPE_VIOLATION,
    /** Sustained use above the key's registered rate limit. */
    RATE_LIMIT_EXCEEDED,
    /** Far more distinct client IPs than the key's baseline: a shared or leaked key. */
    IP_FANOUT,
    /** Use from a country never seen for the key, or outside its allow-list. */
    NEW_COUNTRY,
    /** The key sent without TLS. */
    INSECURE_TRANSPORT,
    /** The key sent in the query string, where logs and proxies keep it. */
    KEY_IN_URL,
    /** First use after a long silence. */
    DORMANT_KEY_REACTIVATED,
    /** The key expires soon. */
    KEY_EXPIRING,
    /** The key is older than the rotation policy allows. */
    KEY_ROTATION_DUE,
    /** The key has not been used for a long time. */
    KEY_UNUSED,
    /** Traffic for a key that is not in the registry. */
    UNKNOWN_KEY,
    /** The blast-radius guard held back automatic revocations. */
    REVOCATION_GUARD_TRIPPED,
    /**
     * A service published a secret (e.g. a Stripe secret key) where the key id belongs; keywatch stored only its
     * fingerprint. The fix is rotating the leaked secret, so automatic revocation never acts on it.
     */
    SECRET_IN_TELEMETRY,
    /**
     * A webhook subscription's endpoint failed for a whole retry schedule: its deliveries are kept and it is probed
     * until it answers. Raised by the API (once per failing episode), never by the topology; its key id is the
     * subscription id.
     */
    WEBHOOK_FAILING
}
