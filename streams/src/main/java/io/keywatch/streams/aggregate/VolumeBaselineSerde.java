package io.keywatch.streams.aggregate;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** Fixed-size binary form of {@link VolumeBaseline}: a version byte and four numbers. */
public final class VolumeBaselineSerde implements Serde<VolumeBaseline> {

    private static final byte VERSION = 1;
    private static final int SIZE = 1 + Long.BYTES + Double.BYTES + Double.BYTES + Integer.BYTES;

    @Override
    public Serializer<VolumeBaseline> serializer() {
        return (topic, baseline) -> {
            if (baseline == null) {
                return null;
            }
            return ByteBuffer.allocate(SIZE)
                    .put(VERSION)
                    .putLong(baseline.currentMinuteStart())
                    .putDouble(baseline.mean())
                    .putDouble(baseline.deviation())
                    .putInt(baseline.observedMinutes())
                    .array();
        };
    }

    @Override
    public Deserializer<VolumeBaseline> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length != SIZE || data[0] != VERSION) {
                throw new SerializationException("unknown volume baseline format (" + data.length + " bytes)");
            }
            ByteBuffer buffer = ByteBuffer.wrap(data, 1, SIZE - 1);
            return new VolumeBaseline(buffer.getLong(), buffer.getDouble(), buffer.getDouble(), buffer.getInt());
        };
    }
}
