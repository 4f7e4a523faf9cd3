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

    /** The silence, deleted and expired ones too; {@code active} as of {@code now}. */
    Optional<Silence> find(String id, Instant now) {
        return handle.createQuery("SELECT " + SilenceStore.COLUMNS + " FROM silences WHERE id = :id")
                .bind("id", id)
                .bind("now", now)
                .mapTo(Silence.class)
                .findOne();
    }
}
