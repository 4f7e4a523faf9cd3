package io.keywatch.events;

/** The detectors that raise alerts. */
public enum AlertRule {
    /** Requests far above the key's own learned baseline. */
    VOLUME_SPIKE,
    /** Many failed credential checks for one key in a short time: brute force. */
    AUTH_FAILURE_BURST,
    /** A successful-looking use of a key whose state is revoked. */
    REVOKED_KEY_USED
}
