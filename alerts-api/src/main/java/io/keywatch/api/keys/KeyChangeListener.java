package io.keywatch.api.keys;

import org.jdbi.v3.core.Handle;

/**
 * Told of a key's status change inside the transaction that makes it, so that what follows from the change (the
 * audit log entry, the webhook event in the outbox) commits or rolls back with it.
 */
public interface KeyChangeListener {

    KeyChangeListener NONE = new KeyChangeListener() {
        @Override
        public void revoked(Handle handle, KeyRecord key, String actor) {
        }

        @Override
        public void reinstated(Handle handle, KeyRecord key, String actor) {
        }
    };

    /** The key was revoked just now by {@code actor} (a person, or {@code policy:<RULE>}). */
    void revoked(Handle handle, KeyRecord key, String actor);

    /** The key was made active again just now by {@code actor}. */
    void reinstated(Handle handle, KeyRecord key, String actor);
}
