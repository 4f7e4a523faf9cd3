package io.keywatch.streams.detect;

import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the hygiene scan's pass and the daily clean-up have got to, in a changelogged store of the task, so that a
 * restarted task (or one moved to another instance) continues where the last commit left it instead of starting over.
 * With a million keys a pass takes about two minutes; a process restarted more often than that would otherwise never
 * reach the end of the registry.
 *
 * <p>A position is the last key looked at. The key may have left the registry (or, for the clean-up, been forgotten by
 * it) since: the walk goes on from the next key after it in the store's order, so a removed key costs nothing.
 * Written at most once per step (one per 10 s of stream time), inside the task's transaction, so under exactly-once a
 * restart resumes exactly after the alerts that were committed.
 */
final class HygieneCursor {

    private static final Logger LOG = LoggerFactory.getLogger(HygieneCursor.class);
    private static final String PASS_AFTER = "pass.after";
    private static final String CLEANUP_DAY = "cleanup.day";
    private static final String CLEANUP_STORE = "cleanup.store";
    private static final String CLEANUP_AFTER = "cleanup.after";
    private static final String PROFILES = "profiles";
    private static final String SCOPES = "scopes";

    /**
     * A daily clean-up in progress.
     *
     * @param day          the UTC day (epoch millis of its start) the clean-up is for
     * @param profilesDone whether it has moved on from the profiles to the scope usage
     * @param after        the last entry looked at in the current store, or null to start from its first
     */
    record Cleanup(long day, boolean profilesDone, String after) {
    }

    private final KeyValueStore<String, String> store;

    HygieneCursor(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** The last registry key the pass in progress looked at, or null when no pass is in progress. */
    String passAfter() {
        return store.get(PASS_AFTER);
    }

    /** Records the pass's position; null ends the pass. */
    void passAt(String after) {
        if (after == null) {
            store.delete(PASS_AFTER);
        } else {
            store.put(PASS_AFTER, after);
        }
    }

    /** The clean-up in progress, or null. */
    Cleanup cleanup() {
        String day = store.get(CLEANUP_DAY);
        if (day == null) {
            return null;
        }
        try {
            return new Cleanup(Long.parseLong(day), SCOPES.equals(store.get(CLEANUP_STORE)), store.get(CLEANUP_AFTER));
        } catch (NumberFormatException e) {
            // written only by this class; should it ever be unreadable, the clean-up (idempotent) starts over
            LOG.warn("unreadable hygiene clean-up position ({} characters); the day's clean-up starts over",
                    day.length());
            cleanupDone();
            return null;
        }
    }

    /** Records the clean-up's position. */
    void cleanupAt(Cleanup cleanup) {
        store.put(CLEANUP_DAY, Long.toString(cleanup.day()));
        store.put(CLEANUP_STORE, cleanup.profilesDone() ? SCOPES : PROFILES);
        if (cleanup.after() == null) {
            store.delete(CLEANUP_AFTER);
        } else {
            store.put(CLEANUP_AFTER, cleanup.after());
        }
    }

    /** Forgets the clean-up's position: it is over. */
    void cleanupDone() {
        store.delete(CLEANUP_DAY);
        store.delete(CLEANUP_STORE);
        store.delete(CLEANUP_AFTER);
    }
}
