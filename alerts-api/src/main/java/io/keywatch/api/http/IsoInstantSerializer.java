package io.keywatch.api.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} exactly as {@link Instant#toString()} (ISO-8601 UTC, 0, 3, 6 or 9 fraction digits) does,
 * which is what Jackson's own serializer writes, but several times faster: a page of 50 alerts holds about 500
 * instants, and formatting them through {@code DateTimeFormatter} was the largest single cost of the list response.
 * Years outside 0000–9999 (never seen in practice) go through {@code toString()}.
 */
public final class IsoInstantSerializer extends StdSerializer<Instant> {

    private static final long MIN_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    public IsoInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        long seconds = value.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            gen.writeString(value.toString());
            return;
        }
        char[] out = new char[30];
        int length = format(seconds, value.getNano(), out);
        gen.writeString(out, 0, length);
    }

    /** Fills {@code out} (at least 30 chars) with the ISO-8601 text; returns its length. */
    static int format(long epochSecond, int nano, char[] out) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        int pos = digits(date.getYear(), 4, out, 0);
        out[pos++] = '-';
        pos = digits(date.getMonthValue(), 2, out, pos);
        out[pos++] = '-';
        pos = digits(date.getDayOfMonth(), 2, out, pos);
        out[pos++] = 'T';
        pos = digits(secondOfDay / 3600, 2, out, pos);
        out[pos++] = ':';
        pos = digits(secondOfDay / 60 % 60, 2, out, pos);
        out[pos++] = ':';
        pos = digits(secondOfDay % 60, 2, out, pos);
        if (nano != 0) {
            out[pos++] = '.';
            // as ISO_INSTANT: milli, micro or nano precision, whichever is the shortest exact one
            if (nano % 1_000_000 == 0) {
                pos = digits(nano / 1_000_000, 3, out, pos);
            } else if (nano % 1_000 == 0) {
                pos = digits(nano / 1_000, 6, out, pos);
            } else {
                pos = digits(nano, 9, out, pos);
            }
        }
        out[pos++] = 'Z';
        return pos;
    }

    private static int digits(int value, int width, char[] out, int pos) {
        for (int i = pos + width - 1; i >= pos; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return pos + width;
    }
}
