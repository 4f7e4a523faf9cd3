package io.keywatch.api.silences;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/** The silences as seen through one transaction's handle ({@link SilenceStore#on}): every read runs on it. */
public final class Silences {

    private final Handle handle;

    Silences(Handle handle) {
        this.handle = handle;
    }

    /** The oldest active silence matching the key and rule at {@code now}. */
    public Optional<String> activeSilenceFor(String keyId, String rule, Instant now) {
        return handle.createQuery("""
                        SELECT id FROM silences
                        WHERE deleted_at IS NULL AND expires_at > :now
                          AND (key_id = :keyId OR key_id IS NULL)
                          AND (rule = :rule OR rule IS NULL)
                        ORDER BY created_at, id
                        LIMIT 1
                        """)
                .bind("now", now)
                .bind("keyId", keyId)
                .bind("rule", rule)
                .mapTo(String.class)
                .findOne();
    }

    /** The silence, deleted and expired ones too; {@code active} as of {@code now}. */
    Optional<Silence> find(String id, Instant now) {
        return handle.createQuery("SELECT " + SilenceStore.COLUMNS + " FROM silences WHERE id = :id")
                .bind("id", id)
                .bind("now", now)
                .mapTo(Silence.class)
                .findOne();
    }
}
