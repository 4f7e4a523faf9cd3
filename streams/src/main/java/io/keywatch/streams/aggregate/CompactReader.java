package io.keywatch.streams.aggregate;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;

/** Reads what {@link CompactWriter} wrote; a value cut short or a runaway length is a {@link SerializationException}. */
final class CompactReader {

    private final byte[] data;
    private int position;

    CompactReader(byte[] data, int offset) {
        this.data = data;
        this.position = offset;
    }

    int readUnsignedByte() {
        need(1);
        return data[position++] & 0xFF;
    }

    long readVarLong() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readUnsignedByte();
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new SerializationException("malformed variable-length integer at byte " + position);
    }

    int readVarInt() {
        long value = readVarLong();
        // every int in these formats is a count or a length: a negative one is as corrupt as a huge one
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new SerializationException("integer out of range at byte " + position + ": " + value);
        }
        return (int) value;
    }

    long readSignedVarLong() {
        long raw = readVarLong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    double readDouble() {
        need(8);
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits = (bits << 8) | (data[position++] & 0xFF);
        }
        return Double.longBitsToDouble(bits);
    }

    float readFloat() {
        need(4);
        int bits = 0;
        for (int i = 0; i < 4; i++) {
            bits = (bits << 8) | (data[position++] & 0xFF);
        }
        return Float.intBitsToFloat(bits);
    }

    String readString() {
        int length = readVarInt();
        need(length);
        String value = new String(data, position, length, StandardCharsets.UTF_8);
        position += length;
        return value;
    }

    private void need(int bytes) {
        if (bytes > data.length - position) {
            throw new SerializationException("value ends at byte " + data.length + ", " + bytes + " more needed at "
                    + position);
        }
    }
}
