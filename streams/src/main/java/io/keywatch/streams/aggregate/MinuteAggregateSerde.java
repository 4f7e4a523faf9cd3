package io.keywatch.streams.aggregate;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link MinuteAggregate}, behind a leading version byte. The store is read and written once
 * per event, and each write goes to the record cache, RocksDB and the changelog topic, so the size and the cost of
 * this format are paid per event: version 3 writes variable-length counts and leaves out defaults (a typical minute
 * takes about 40 % of version 2's bytes); version 4 adds the volume judgement made when the minute opened (critical
 * counts, rhythm, dispersion, spike streak); version 5 the expectation without the memory of alerted bursts (a
 * minute that looks like a leaked key is judged without it), and, behind a flag bit that older version 5 values do not
 * set, the level a key had before a silence of more than a day (what its return is judged against while it warms up
 * again). Versions 1 to 4, still in stores and changelogs after an
 * upgrade, read.
 */
public final class MinuteAggregateSerde implements Serde<MinuteAggregate> {

    private static final int VERSION = 5;

    @Override
    public Serializer<MinuteAggregate> serializer() {
        return (topic, aggregate) -> {
            if (aggregate == null) {
                return null;
            }
            CompactWriter out = new CompactWriter(128);
            out.writeByte(VERSION);
            aggregate.writeTo(out);
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<MinuteAggregate> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            int version = data.length == 0 ? 0 : data[0] & 0xFF;
            if (version >= 3 && version <= VERSION) {
                return MinuteAggregate.readFrom(new CompactReader(data, 1), version);
            }
            if (version < 1 || version > VERSION) {
                throw new SerializationException("unknown minute aggregate format version " + version);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data, 1, data.length - 1))) {
                return MinuteAggregate.readLegacy(in, version);
            } catch (IOException e) {
                throw new SerializationException("cannot read minute aggregate (format version " + version + ")", e);
            }
        };
    }
}
