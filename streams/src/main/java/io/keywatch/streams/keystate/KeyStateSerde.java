package io.keywatch.streams.keystate;

import io.keywatch.events.KeyMetadata;
import io.keywatch.events.KeyState;
import io.keywatch.events.KeyStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Compact binary form of {@link KeyState} for the global key-state store. Every usage event reads its key's state
 * once, so the store avoids JSON: the topic stays JSON (the wire contract), the store holds this. Nullable fields
 * are written behind a presence byte; strings as length-prefixed UTF-8 (no 64 KiB limit).
 */
public final class KeyStateSerde implements Serde<KeyState> {

    /**
     * 2 adds the canary fields at the end of the metadata. A state without them is still written as version 1, byte
     * for byte what earlier builds wrote, so both read each other's values.
     */
    private static final int VERSION = 2;
    private static final int VERSION_WITHOUT_CANARY = 1;

    @Override
    public Serializer<KeyState> serializer() {
        return (topic, state) -> state == null ? null : toBytes(state);
    }

    @Override
    public Deserializer<KeyState> deserializer() {
        return (topic, data) -> data == null ? null : fromBytes(data);
    }

    static byte[] toBytes(KeyState state) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            KeyMetadata canaryCheck = state.metadata();
            boolean canaryFields = canaryCheck != null
                    && (canaryCheck.canary() != null || canaryCheck.plantedAt() != null);
            out.writeByte(canaryFields ? VERSION : VERSION_WITHOUT_CANARY);
            writeString(out, state.keyId());
            out.writeByte(state.status().code());
            writeInstant(out, state.changedAt());
            writeString(out, state.reason());
            writeString(out, state.changedBy());
            KeyMetadata metadata = state.metadata();
            out.writeBoolean(metadata != null);
            if (metadata != null) {
                writeString(out, metadata.owner());
                writeString(out, metadata.service());
                writeList(out, metadata.scopes());
                writeInstant(out, metadata.createdAt());
                writeInstant(out, metadata.expiresAt());
                out.writeBoolean(metadata.rateLimitPerMinute() != null);
                if (metadata.rateLimitPerMinute() != null) {
                    out.writeInt(metadata.rateLimitPerMinute());
                }
                out.writeByte(metadata.autoRevoke() == null ? 0 : metadata.autoRevoke() ? 1 : 2);
                writeList(out, metadata.allowedCountries());
                writeList(out, metadata.allowedCidrs());
                Map<String, Double> thresholds = metadata.thresholds();
                out.writeInt(thresholds == null ? -1 : thresholds.size());
                if (thresholds != null) {
                    for (Map.Entry<String, Double> entry : thresholds.entrySet()) {
                        writeString(out, entry.getKey());
                        out.writeDouble(entry.getValue());
                    }
                }
                if (canaryFields) {
                    out.writeByte(metadata.canary() == null ? 0 : metadata.canary() ? 1 : 2);
                    writeString(out, metadata.plantedAt());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write key state", e);
        }
        return bytes.toByteArray();
    }

    static KeyState fromBytes(byte[] data) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != VERSION_WITHOUT_CANARY) {
                throw new SerializationException("unknown key state format version " + version);
            }
            String keyId = readString(in);
            int statusCode = in.readUnsignedByte();
            KeyStatus status = KeyStatus.fromCode(statusCode);
            if (status == null) {
                // written by a newer build: refuse it rather than guess whether the key may be used
                throw new SerializationException("unknown key status code " + statusCode);
            }
            Instant changedAt = readInstant(in);
            String reason = readString(in);
            String changedBy = readString(in);
            KeyMetadata metadata = null;
            if (in.readBoolean()) {
                String owner = readString(in);
                String service = readString(in);
                List<String> scopes = readList(in);
                Instant createdAt = readInstant(in);
                Instant expiresAt = readInstant(in);
                Integer rateLimit = in.readBoolean() ? in.readInt() : null;
                int autoRevoke = in.readUnsignedByte();
                List<String> countries = readList(in);
                List<String> cidrs = readList(in);
                int thresholdCount = in.readInt();
                Map<String, Double> thresholds = null;
                if (thresholdCount >= 0) {
                    thresholds = new HashMap<>();
                    for (int i = 0; i < thresholdCount; i++) {
                        thresholds.put(readString(in), in.readDouble());
                    }
                }
                Boolean canary = null;
                String plantedAt = null;
                if (version >= VERSION) {
                    int canaryByte = in.readUnsignedByte();
                    canary = canaryByte == 0 ? null : canaryByte == 1;
                    plantedAt = readString(in);
                }
                metadata = new KeyMetadata(owner, service, scopes, createdAt, expiresAt, rateLimit,
                        autoRevoke == 0 ? null : autoRevoke == 1, countries, cidrs, thresholds, canary, plantedAt);
            }
            return new KeyState(keyId, status, changedAt, reason, changedBy, metadata);
        } catch (IOException | RuntimeException e) {
            if (e instanceof SerializationException serialization) {
                throw serialization;
            }
            throw new SerializationException("cannot read key state", e);
        }
    }

    private static void writeString(DataOutput out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void writeInstant(DataOutput out, Instant value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value.getEpochSecond());
            out.writeInt(value.getNano());
        }
    }

    private static Instant readInstant(DataInput in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void writeList(DataOutput out, List<String> values) throws IOException {
        out.writeInt(values == null ? -1 : values.size());
        if (values != null) {
            for (String value : values) {
                writeString(out, value);
            }
        }
    }

    private static List<String> readList(DataInput in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            return null;
        }
        List<String> values = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            values.add(readString(in));
        }
        return values;
    }
}
