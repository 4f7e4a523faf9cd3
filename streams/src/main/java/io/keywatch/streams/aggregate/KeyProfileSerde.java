package io.keywatch.streams.aggregate;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of {@link KeyProfile}, behind a leading version byte. Version 3 is compact (only what is set) with the
 * volume model of days and weeks and window marks by rule code; versions 2 and 1, still in stores and changelogs
 * after an upgrade, read (their hour-of-day buckets become the model's hour levels, their marks by position are
 * mapped to rules once).
 */
public final class KeyProfileSerde implements Serde<KeyProfile> {

    private static final int VERSION = 3;

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

    @Override
    public Deserializer<KeyProfile> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            int version = data.length == 0 ? 0 : data[0] & 0xFF;
            if (version == VERSION || version == 2) {
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
        };
    }
}
