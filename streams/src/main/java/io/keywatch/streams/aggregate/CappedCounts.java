package io.keywatch.streams.aggregate;

import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exact counts per value for at most {@code capacity} distinct values. Once full, unseen values are only counted in
 * {@link #untracked()}: state per key and minute stays bounded however many IPs or paths an attacker uses, and every
 * count that is shown is exact (no estimates a person could not check).
 */
public final class CappedCounts {

    private static final Comparator<Map.Entry<String, int[]>> BY_COUNT_DESC =
            Comparator.<Map.Entry<String, int[]>>comparingInt(e -> e.getValue()[0]).reversed()
                    .thenComparing(Map.Entry::getKey);

    private final int capacity;
    // int[1] cells so that counting an already-seen value allocates nothing
    private final HashMap<String, int[]> counts;
    private long untracked;

    public CappedCounts(int capacity) {
        this.capacity = capacity;
        this.counts = new HashMap<>();
    }

    public void add(String value) {
        if (value == null) {
            return;
        }
        int[] cell = counts.get(value);
        if (cell != null) {
            cell[0]++;
        } else if (counts.size() < capacity) {
            counts.put(value, new int[] {1});
        } else {
            untracked++;
        }
    }

    /** Distinct values counted; a lower bound once {@link #saturated()}. */
    public int distinct() {
        return counts.size();
    }

    /** True when values were seen that did not fit; {@link #distinct()} is then a lower bound. */
    public boolean saturated() {
        return untracked > 0;
    }

    /** Occurrences of values that arrived after the cap was reached. */
    public long untracked() {
        return untracked;
    }

    /** Every occurrence counted, tracked or not. */
    public long total() {
        long total = untracked;
        for (int[] cell : counts.values()) {
            total += cell[0];
        }
        return total;
    }

    public int count(String value) {
        int[] cell = counts.get(value);
        return cell == null ? 0 : cell[0];
    }

    /** The {@code n} most frequent values with their counts, most frequent first (ties by value). */
    public Map<String, Long> top(int n) {
        List<Map.Entry<String, int[]>> entries = new ArrayList<>(counts.entrySet());
        entries.sort(BY_COUNT_DESC);
        Map<String, Long> top = new LinkedHashMap<>();
        for (int i = 0; i < entries.size() && i < n; i++) {
            top.put(entries.get(i).getKey(), (long) entries.get(i).getValue()[0]);
        }
        return top;
    }

    void writeTo(CompactWriter out) {
        out.writeVarLong(counts.size());
        for (Map.Entry<String, int[]> entry : counts.entrySet()) {
            out.writeString(entry.getKey());
            out.writeVarLong(entry.getValue()[0]);
        }
        out.writeVarLong(untracked);
    }

    static CappedCounts readFrom(CompactReader in, int capacity) {
        CappedCounts result = new CappedCounts(capacity);
        int size = in.readVarInt();
        for (int i = 0; i < size; i++) {
            result.counts.put(in.readString(), new int[] {in.readVarInt()});
        }
        result.untracked = in.readVarLong();
        return result;
    }

    /** The format of MinuteAggregateSerde versions 1 and 2, still read after an upgrade. */
    static CappedCounts readLegacy(DataInput in, int capacity) throws IOException {
        CappedCounts result = new CappedCounts(capacity);
        int size = in.readInt();
        for (int i = 0; i < size; i++) {
            result.counts.put(in.readUTF(), new int[] {in.readInt()});
        }
        result.untracked = in.readLong();
        return result;
    }
}
