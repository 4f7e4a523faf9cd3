package io.keywatch.events;

/** The detectors that raise alerts. */
public enum AlertRule implements StoredCode {
    /** Requests far above the key's own learned baseline. */
    VOLUME_SPIKE(0),
    /** Many failed credential checks for one key in a short time: brute force. */
    AUTH_FAILURE_BURST(1),
    /** A successful-looking use of a key whose state is revoked. */
    REVOKED_KEY_USED(2),
    /** A successful-looking use of a key after its registered expiry. */
    EXPIRED_KEY_USED(3),
    /** Calls that need a scope the key does not hold. */
    SCOPE_VIOLATION(4),
    /** Sustained use above the key's registered rate limit. */
    RATE_LIMIT_EXCEEDED(5),
    /** Far more distinct client IPs than the key's baseline: a shared or leaked key. */
    IP_FANOUT(6),
    /** Use from a country never seen for the key, or outside its allow-list. */
    NEW_COUNTRY(7),
    /** The key sent without TLS. */
    INSECURE_TRANSPORT(8),
    /** The key sent in the query string, where logs and proxies keep it. */
    KEY_IN_URL(9),
    /** First use after a long silence. */
    DORMANT_KEY_REACTIVATED(10),
    /** The key expires soon. */
    KEY_EXPIRING(11),
    /** The key is older than the rotation policy allows. */
    KEY_ROTATION_DUE(12),
    /** The key has not been used for a long time. */
    KEY_UNUSED(13),
    /** Traffic for a key that is not in the registry. */
    UNKNOWN_KEY(14),
    /** The blast-radius guard held back automatic revocations. */
    REVOCATION_GUARD_TRIPPED(15),
    /**
     * A service published a secret (e.g. a Stripe secret key) where the key id belongs; keywatch stored only its
     * fingerprint. The fix is rotating the leaked secret, so automatic revocation never acts on it.
     */
    SECRET_IN_TELEMETRY(16),
    /**
     * A webhook subscription's endpoint failed for a whole retry schedule: its deliveries are kept and it is probed
     * until it answers. Raised by the API (once per failing episode), never by the topology; its key id is the
     * subscription id.
     */
    WEBHOOK_FAILING(17),
    /**
     * A canary (decoy) key was used: it was planted where only an attacker would find it, so any use is a breach.
     * Automatic revocation never acts on it (revoking it would tell the attacker).
     */
    CANARY_KEY_USED(18),
    /** A busy key's requests improbably low (or stopped) for several minutes in a row; off unless switched on. */
    VOLUME_DROP(19),
    /**
     * A registered key holds scopes it has not used for {@code overprivileged.unusedDays} (30) days while keywatch
     * watched it: least privilege says to grant only the narrower set it uses (hygiene, once per key and ISO week).
     */
    KEY_OVERPRIVILEGED(20);

    private static final StoredCodes<AlertRule> CODES = StoredCodes.of(values());

    private final int code;

    AlertRule(int code) {
        this.code = code;
    }

    /** The stored code: what state stores and changelogs hold for this constant; never changes once released. */
    @Override
    public int code() {
        return code;
    }

    /** The constant stored as {@code code}, or null for a code this build does not know. */
    public static AlertRule fromCode(int code) {
        return CODES.fromCode(code);
    }

    /** One more than the highest code: the length of an array indexed by code. */
    public static int codeCount() {
        return CODES.size();
    }
}
