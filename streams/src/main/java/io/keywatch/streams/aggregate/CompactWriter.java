package io.keywatch.streams.aggregate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes the stores' binary values: variable-length integers (most counts are small, so one byte), raw doubles and
 * floats, UTF-8 strings with a length prefix. Every store value is written once per event, so this is a plain
 * growable array, without the locking and per-byte calls of {@code DataOutputStream} over a byte stream.
 */
final class CompactWriter {

    private byte[] buffer;
    private int size;

    CompactWriter(int expectedSize) {
        buffer = new byte[expectedSize];
    }

    void writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
    }

    /** Unsigned LEB128: 7 bits per byte, so values below 128 take one byte. */
    void writeVarLong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    /** Zig-zag then LEB128, for values that may be negative. */
    void writeSignedVarLong(long value) {
        writeVarLong((value << 1) ^ (value >> 63));
    }

    void writeDouble(double value) {
        writeFixedLong(Double.doubleToRawLongBits(value));
    }

    void writeFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (bits >>> shift);
        }
    }

    void writeString(String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeVarLong(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void writeFixedLong(long bits) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (bits >>> shift);
        }
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
