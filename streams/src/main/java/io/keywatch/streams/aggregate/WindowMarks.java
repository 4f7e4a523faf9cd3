package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import io.keywatch.events.StoredCodes;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The last window (hour, day, week) each rule alerted in for one key, by the rule's explicit stored code: any rule
 * with such a window gets a mark without a slot list. Sparse, because most keys carry none or one or two: pairs of
 * code and window start, in the order they were first set.
 *
 * <p>Stored as a count, then each code and window start. A code this build does not know (written by a newer one)
 * is kept and written back as it was.
 */
final class WindowMarks {

    static final long NEVER = Long.MIN_VALUE;
    /**
     * The order of the marks when {@code KeyProfile} stored them by position (profile formats 1 and 2): never change,
     * it is only used to read those.
     */
    static final AlertRule[] BY_POSITION = {AlertRule.INSECURE_TRANSPORT, AlertRule.KEY_IN_URL,
            AlertRule.UNKNOWN_KEY, AlertRule.KEY_EXPIRING, AlertRule.KEY_ROTATION_DUE, AlertRule.KEY_UNUSED,
            AlertRule.SECRET_IN_TELEMETRY};
    private static final int MAX_MARKS = StoredCodes.MAX_CODE + 1;

    private byte[] codes;
    private long[] starts;
    private int size;

    WindowMarks() {
        this(new byte[0], new long[0], 0);
    }

    private WindowMarks(byte[] codes, long[] starts, int size) {
        this.codes = codes;
        this.starts = starts;
        this.size = size;
    }

    /** The start of the last window {@code rule} alerted in, or {@link #NEVER}. */
    long get(AlertRule rule) {
        int i = indexOf(rule.code());
        return i < 0 ? NEVER : starts[i];
    }

    void set(AlertRule rule, long windowStart) {
        int i = indexOf(rule.code());
        if (i < 0) {
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size + 2);
                starts = Arrays.copyOf(starts, size + 2);
            }
            i = size++;
            codes[i] = (byte) rule.code();
        }
        starts[i] = windowStart;
    }

    int size() {
        return size;
    }

    /** Makes this an exact copy of {@code other} (to take back what a failed detection marked). */
    void copyFrom(WindowMarks other) {
        codes = Arrays.copyOf(other.codes, other.size);
        starts = Arrays.copyOf(other.starts, other.size);
        size = other.size;
    }

    private int indexOf(int code) {
        for (int i = 0; i < size; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }

    /** Profile format 3: the count, then each mark's code and window start. */
    void writeTo(CompactWriter out) {
        out.writeVarLong(size);
        for (int i = 0; i < size; i++) {
            out.writeVarLong(codes[i]);
            out.writeSignedVarLong(starts[i]);
        }
    }

    static WindowMarks readFrom(CompactReader in) {
        int count = in.readVarInt();
        if (count > MAX_MARKS) {
            throw new SerializationException("a key profile holds at most " + MAX_MARKS + " window marks, got " + count);
        }
        byte[] codes = new byte[count];
        long[] starts = new long[count];
        WindowMarks marks = new WindowMarks(codes, starts, 0);
        for (int i = 0; i < count; i++) {
            int code = in.readVarInt();
            if (code > StoredCodes.MAX_CODE || marks.indexOf(code) >= 0) {
                throw new SerializationException("window mark " + i + " has code " + code
                        + ": out of range or repeated");
            }
            codes[i] = (byte) code;
            starts[i] = in.readSignedVarLong();
            marks.size = i + 1;
        }
        return marks;
    }

    /** The marks of formats 1 and 2, stored by position in {@link #BY_POSITION} ({@link #NEVER} for none). */
    static WindowMarks fromPositions(long[] byPosition) {
        WindowMarks marks = new WindowMarks();
        for (int i = 0; i < Math.min(byPosition.length, BY_POSITION.length); i++) {
            if (byPosition[i] != NEVER) {
                marks.set(BY_POSITION[i], byPosition[i]);
            }
        }
        return marks;
    }

    /** Each mark as {@code code@start}, in code order (for tests and logs). */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("[");
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] sorted = Arrays.stream(order).boxed().sorted((a, b) -> Integer.compare(codes[a], codes[b]))
                .mapToInt(Integer::intValue).toArray();
        for (int i : sorted) {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(codes[i]).append('@').append(starts[i]);
        }
        return out.append(']').toString();
    }
}
