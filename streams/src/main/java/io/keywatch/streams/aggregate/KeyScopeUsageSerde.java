package io.keywatch.streams.aggregate;

import io.keywatch.events.KeyScopeUsage;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a key's {@link KeyScopeUsage} in the key-scope-usage store, behind a leading version byte.
 * Version 1: flags (bit 0: truncated), the key id, the first-seen day as an epoch day, the number of scopes, then
 * each scope and its last-used epoch day (signed variable-length: days are small numbers).
 */
public final class KeyScopeUsageSerde implements Serde<KeyScopeUsage> {

    private static final int VERSION = 1;
    private static final int TRUNCATED = 1;

    @Override
    public Serializer<KeyScopeUsage> serializer() {
        return (topic, usage) -> {
            if (usage == null) {
                return null;
            }
            CompactWriter out = new CompactWriter(32 + 16 * usage.lastUsed().size());
            out.writeByte(VERSION);
            out.writeByte(usage.truncated() ? TRUNCATED : 0);
            out.writeString(usage.keyId());
            out.writeSignedVarLong(usage.firstSeen().toEpochDay());
            out.writeVarLong(usage.lastUsed().size());
            for (Map.Entry<String, LocalDate> scope : usage.lastUsed().entrySet()) {
                out.writeString(scope.getKey());
                out.writeSignedVarLong(scope.getValue().toEpochDay());
            }
            return out.toByteArray();
        };
    }

    @Override
    public Deserializer<KeyScopeUsage> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            int version = data.length == 0 ? 0 : data[0] & 0xFF;
            if (version != VERSION) {
                throw new SerializationException("unknown key scope usage format version " + version);
            }
            CompactReader in = new CompactReader(data, 1);
            int flags = in.readUnsignedByte();
            String keyId = in.readString();
            LocalDate firstSeen = day(in.readSignedVarLong());
            int count = in.readVarInt();
            if (count > KeyScopeUsage.MAX_SCOPES) {
                throw new SerializationException("at most " + KeyScopeUsage.MAX_SCOPES + " scopes per key, got " + count);
            }
            Map<String, LocalDate> lastUsed = new HashMap<>(count * 2);
            for (int i = 0; i < count; i++) {
                lastUsed.put(in.readString(), day(in.readSignedVarLong()));
            }
            return new KeyScopeUsage(keyId, firstSeen, lastUsed, (flags & TRUNCATED) != 0);
        };
    }

    private static LocalDate day(long epochDay) {
        try {
            return LocalDate.ofEpochDay(epochDay);
        } catch (java.time.DateTimeException e) {
            throw new SerializationException("day out of range: " + epochDay, e);
        }
    }
}
