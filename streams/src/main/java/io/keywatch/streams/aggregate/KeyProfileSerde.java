package io.keywatch.streams.aggregate;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binary form of {@link KeyProfile}, behind a leading version byte. Version 3 is compact (only what is set) with the
 * volume model of days and weeks and window marks by rule code; version 4 is version 3 with the volume model's
 * optional parts added since (the streak gap, the level before a silence), which sit mid-value: a version 3 reader of
 * an older build would misread the rest of the profile, so it must refuse the value instead (it does: an unknown
 * version is a {@link SerializationException}). From version 4 on, readers also refuse any flag bit they do not know,
 * so a new optional part needs a new version, never just a new bit: version 5 adds each hour's recurring peak (a
 * periodic job's usual burst) and the busiest minute of the hour being summed. Versions 4, 3, 2 and 1, still in
 * stores and
 * changelogs after an upgrade, read (their hour-of-day buckets become the model's hour levels, their marks by position
 * are mapped to rules once).
 */
public final class KeyProfileSerde implements Serde<KeyProfile> {

    private static final Logger LOG = LoggerFactory.getLogger(KeyProfileSerde.class);

    static final int VERSION = 5;

    @Override
    public Serializer<KeyProfile> serializer() {
        return (topic, profile) -> {
            if (profile == null) {
                return null;
            }
            CompactWriter out = new CompactWriter(96);
            out.writeByte(VERSION);
            profile.writeTo(out);
            return out.toByteArray();
        };
    }

    /**
     * A stored profile this build cannot read (a newer format after a rollback, a corrupted changelog record) reads as
     * none: the key learns again from its next minute, as a new key does. Throwing instead would dead-letter every
     * event of the key and stall the hygiene scan at it, for good: one bad value must not blind keywatch to a key.
     */
    @Override
    public Deserializer<KeyProfile> deserializer() {
        return (topic, data) -> {
            try {
                return read(data);
            } catch (SerializationException e) {
                unreadable.seen(e);
                return null;
            }
        };
    }

    /** At most one line a minute: after a rollback every key's profile may be unreadable, and read again and again. */
    private final UnreadableLog unreadable = new UnreadableLog();

    private static final class UnreadableLog {
        private static final long INTERVAL_NANOS = 60_000_000_000L;
        private long count;
        private long lastLogged = System.nanoTime() - INTERVAL_NANOS;

        synchronized void seen(SerializationException e) {
            count++;
            long now = System.nanoTime();
            if (now - lastLogged >= INTERVAL_NANOS) {
                // the key id is not known here, and the bytes may be anything: the reason only
                LOG.warn("unreadable stored key profile(s): {} since the last message, read as none and learnt "
                        + "again; the latest: {}", count, e.getMessage());
                count = 0;
                lastLogged = now;
            }
        }
    }

    /** The profile in {@code data}, or a {@link SerializationException} saying why it cannot be read. */
    static KeyProfile read(byte[] data) {
        if (data == null) {
            return null;
        }
        int version = data.length == 0 ? 0 : data[0] & 0xFF;
        if (version >= 2 && version <= VERSION) {
            return KeyProfile.readFrom(new CompactReader(data, 1), version);
        }
        if (version != 1) {
            throw new SerializationException("unknown key profile format version " + version);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
            return KeyProfile.readLegacy(in);
        } catch (IOException e) {
            throw new SerializationException("cannot read key profile (format version 1)", e);
        }
    }
}
