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

/**
 * Compact binary form of {@link MinuteAggregate}. The store is read and written once per event, so this avoids
 * JSON's cost; the leading version byte leaves room to change the layout later.
 */
public final class MinuteAggregateSerde implements Serde<MinuteAggregate> {

    private static final int VERSION = 2;

    @Override
    public Serializer<MinuteAggregate> serializer() {
        return (topic, aggregate) -> {
            if (aggregate == null) {
                return null;
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(VERSION);
                aggregate.writeTo(out);
            } catch (IOException e) {
                throw new SerializationException("cannot write minute aggregate", e);
            }
            return bytes.toByteArray();
        };
    }

    @Override
    public Deserializer<MinuteAggregate> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
                int version = in.readUnsignedByte();
                // version 1 (before per-key profiles) still reads: the new fields take their defaults
                if (version < 1 || version > VERSION) {
                    throw new SerializationException("unknown minute aggregate format version " + version);
                }
                return MinuteAggregate.readFrom(in, version);
            } catch (IOException e) {
                throw new SerializationException("cannot read minute aggregate", e);
            }
        };
    }
}
