package io.keywatch.streams.aggregate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Compact binary form of {@link KeyProfile} (about 450 bytes); the leading version byte leaves room to change it. */
public final class KeyProfileSerde implements Serde<KeyProfile> {

    private static final int VERSION = 1;

    @Override
    public Serializer<KeyProfile> serializer() {
        return (topic, profile) -> {
            if (profile == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                profile.writeTo(out);
            } catch (IOException e) {
                throw new SerializationException("cannot write key profile", e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public Deserializer<KeyProfile> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                int version = in.readUnsignedByte();
                if (version != VERSION) {
                    throw new SerializationException("unknown key profile format version " + version);
                }
                return KeyProfile.readFrom(in);
            } catch (IOException e) {
                throw new SerializationException("cannot read key profile", e);
            }
        };
    }
}
