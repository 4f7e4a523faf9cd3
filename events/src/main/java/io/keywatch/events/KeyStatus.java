package io.keywatch.events;

/** Whether a key may still be used. */
public enum KeyStatus {
    ACTIVE,
    REVOKED
}
