package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything keywatch remembers about one key beyond its recent minutes, in one small, bounded value (a few hundred
 * bytes) that the detection processor reads and writes once when a key's minute opens, and otherwise only when a
 * rule needs it (a country new in the minute, an insecure request, an alert of a rule with an hour or day window).
 *
 * <ul>
 *   <li><b>Volume</b>: a recent EWMA ({@link VolumeBaseline}, weight {@code volume.smoothing} per minute, quiet
 *   minutes fold as zeros) plus an hour-of-day profile: 24 buckets, each an average of the minutes that fell in that
 *   UTC hour (a plain average for its first {@value #HOUR_MEMORY_MINUTES} minutes, then an EWMA with that memory,
 *   i.e. about three days of that hour). The expected volume of a minute is the larger of the recent average and
 *   its hour's average once that hour has seen {@value #HOUR_WARM_MINUTES} minutes, so a key's usual morning peak
 *   is not a spike. Each completed minute is clipped (winsorized) at {@code max(3 x expected,
 *   expected + 4 x deviation, 1)} before it is learnt, so one outlier minute moves the averages by at most one
 *   normal step instead of inflating them for hours; a real, lasting change is still learnt within about half an
 *   hour (each clipped step can triple: the recent average grows by at least 20 % a minute).</li>
 *   <li><b>Client IPs</b>: an EWMA (same weight, same clipping) of the distinct client IPs of the key's active
 *   minutes, for IP_FANOUT.</li>
 *   <li><b>Rate limit</b>: how many consecutive completed minutes, ending with the previous minute, were above the
 *   key's registered limit, and the first of them.</li>
 *   <li><b>Activity</b>: first and last minute seen and active minutes (DORMANT_KEY_REACTIVATED, KEY_UNUSED, the
 *   NEW_COUNTRY warm-up), and up to {@value #MAX_COUNTRIES} countries seen.</li>
 *   <li><b>Marks</b>: the last window each hour-, day- or week-windowed rule alerted in (by the rule's stored code),
 *   so those alert at most once per window.</li>
 * </ul>
 */
public final class KeyProfile {

    public static final int MAX_COUNTRIES = 64;
    /** Minutes an hour-of-day bucket needs before it counts. */
    public static final int HOUR_WARM_MINUTES = 60;
    /** The memory, in minutes of that hour, of an hour-of-day bucket. */
    public static final int HOUR_MEMORY_MINUTES = 180;
    static final double CLIP_FACTOR = 3.0;
    static final double CLIP_DEVIATIONS = 4.0;
    static final long NEVER = Long.MIN_VALUE;

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final int HOURS = 24;
    // the compact format's flag bits
    private static final int HAS_VOLUME = 1;
    private static final int COUNTRIES_SATURATED = 2;
    private static final int HAS_IP_MEAN = 4;
    private static final int HAS_IP_DEVIATION = 8;

    /** The recent volume average; null until the key's first event. */
    VolumeBaseline volume;
    final float[] hourMean;
    final float[] hourDeviation;
    final int[] hourMinutes;
    double ipMean;
    double ipDeviation;
    int ipMinutes;
    int rateStreakMinutes;
    long rateStreakStart = NEVER;
    long rateAlertedStreakStart = NEVER;
    long firstSeenMinute = NEVER;
    long lastSeenMinute = NEVER;
    int activeMinutes;
    final List<String> countries;
    boolean countriesSaturated;
    /** The last window each hour-, day- or week-windowed rule alerted in, by the rule's stored code. */
    final WindowMarks marks;

    public KeyProfile() {
        this(new float[HOURS], new float[HOURS], new int[HOURS], new ArrayList<>(), new WindowMarks());
    }

    private KeyProfile(float[] hourMean, float[] hourDeviation, int[] hourMinutes, List<String> countries,
                       WindowMarks marks) {
        this.hourMean = hourMean;
        this.hourDeviation = hourDeviation;
        this.hourMinutes = hourMinutes;
        this.countries = countries;
        this.marks = marks;
    }

    /** True once the key has had an event (a profile can exist for a registered key that was never used). */
    public boolean seen() {
        return volume != null;
    }

    /** The minute the key is in now; only when {@link #seen()}. */
    public long currentMinuteStart() {
        return volume.currentMinuteStart();
    }

    /**
     * Called for the first event of a key's minute {@code newMinuteStart}. For a key's first minute it starts the
     * profile. For a newer minute it completes the current one: learns its final volume and distinct client IPs
     * (clipped), folds the quiet minutes in between as zeros, updates the rate-limit streak and the last-seen
     * minute. Returns false (and changes nothing) for a minute that is not newer than the current one.
     *
     * @param completedVolume    the completed minute's requests, INVALID_SECRET ones excluded
     * @param completedClientIps its distinct client IPs (0 when it had no requests)
     * @param rateLimitThreshold requests per minute above which a minute counts against the rate limit; NaN when
     *                           the key has no limit
     */
    public boolean advanceTo(long newMinuteStart, long completedVolume, int completedClientIps, double smoothing,
                             double rateLimitThreshold) {
        if (volume == null) {
            volume = VolumeBaseline.startingAt(newMinuteStart);
            firstSeenMinute = newMinuteStart;
            lastSeenMinute = newMinuteStart;
            activeMinutes = 1;
            return true;
        }
        long completedStart = volume.currentMinuteStart();
        if (newMinuteStart <= completedStart) {
            return false;
        }
        // volume: clip against what was expected of the completed minute, then learn it
        double learnt = completedVolume;
        // no clipping until the average is settled: clipping against a young, low average would keep it low
        if (volume.settled(smoothing)) {
            double expected = expectedVolume(completedStart);
            learnt = Math.min(learnt, clipCap(expected, expectedDeviation(completedStart)));
        }
        foldHour(hourOfDay(completedStart), learnt);
        long gap = (newMinuteStart - completedStart) / MINUTE_MS - 1;
        long folded = Math.min(gap, VolumeBaseline.MAX_FOLDED_GAP_MINUTES);
        for (long i = 1; i <= folded; i++) {
            foldHour(hourOfDay(completedStart + i * MINUTE_MS), 0);
        }
        volume = volume.advanceTo(newMinuteStart, learnt, smoothing);

        // client IPs of active minutes
        if (completedClientIps > 0) {
            if (ipMinutes == 0) {
                ipMean = completedClientIps;
            } else {
                boolean settled = ipMinutes >= Math.ceil(1.0 / smoothing);
                double ips = settled ? Math.min(completedClientIps, clipCap(ipMean, ipDeviation)) : completedClientIps;
                double weight = VolumeBaseline.weight(ipMinutes, smoothing);
                ipDeviation = (1 - weight) * ipDeviation + weight * Math.abs(ips - ipMean);
                ipMean = (1 - weight) * ipMean + weight * ips;
            }
            ipMinutes = ipMinutes == Integer.MAX_VALUE ? ipMinutes : ipMinutes + 1;
        }

        // rate limit: consecutive minutes above the limit, ending right before the new minute
        if (completedVolume > rateLimitThreshold) {
            if (rateStreakMinutes == 0) {
                rateStreakStart = completedStart;
            }
            rateStreakMinutes++;
        } else {
            rateStreakMinutes = 0;
        }
        if (gap > 0) {
            rateStreakMinutes = 0;
        }
        if (rateStreakMinutes == 0) {
            rateStreakStart = NEVER;
        }

        lastSeenMinute = newMinuteStart;
        activeMinutes = activeMinutes == Integer.MAX_VALUE ? activeMinutes : activeMinutes + 1;
        return true;
    }

    private void foldHour(int hour, double value) {
        int n = hourMinutes[hour];
        double mean = hourMean[hour];
        double weight = Math.max(1.0 / HOUR_MEMORY_MINUTES, 1.0 / (n + 1));
        if (n == 0) {
            hourMean[hour] = (float) value;
            hourDeviation[hour] = 0f;
        } else {
            hourDeviation[hour] = (float) ((1 - weight) * hourDeviation[hour] + weight * Math.abs(value - mean));
            hourMean[hour] = (float) ((1 - weight) * mean + weight * value);
        }
        hourMinutes[hour] = n == Integer.MAX_VALUE ? n : n + 1;
    }

    static double clipCap(double expected, double deviation) {
        return Math.max(Math.max(CLIP_FACTOR * expected, expected + CLIP_DEVIATIONS * deviation), 1.0);
    }

    public static int hourOfDay(long epochMs) {
        return (int) (Math.floorMod(epochMs, DAY_MS) / HOUR_MS);
    }

    /** The recent average of requests per minute. */
    public double recentVolume() {
        return volume == null ? 0 : volume.mean();
    }

    /** The average of requests per minute in the UTC hour of {@code minuteStart}, or NaN while that hour is cold. */
    public double hourVolume(long minuteStart) {
        int hour = hourOfDay(minuteStart);
        return hourMinutes[hour] >= HOUR_WARM_MINUTES ? hourMean[hour] : Double.NaN;
    }

    /** What a minute starting at {@code minuteStart} is expected to hold: max(recent, its hour once warm). */
    public double expectedVolume(long minuteStart) {
        double hour = hourVolume(minuteStart);
        return Double.isNaN(hour) ? recentVolume() : Math.max(recentVolume(), hour);
    }

    /** The mean absolute deviation that goes with {@link #expectedVolume(long)}. */
    public double expectedDeviation(long minuteStart) {
        double hour = hourVolume(minuteStart);
        if (!Double.isNaN(hour) && hour > recentVolume()) {
            return hourDeviation[hourOfDay(minuteStart)];
        }
        return volume == null ? 0 : volume.deviation();
    }

    public int observedMinutes() {
        return volume == null ? 0 : volume.observedMinutes();
    }

    public double ipMean() {
        return ipMean;
    }

    public double ipDeviation() {
        return ipDeviation;
    }

    public int ipMinutes() {
        return ipMinutes;
    }

    public int rateStreakMinutes() {
        return rateStreakMinutes;
    }

    /** The first minute of the current rate-limit streak, or {@link Long#MIN_VALUE} when there is none. */
    public long rateStreakStart() {
        return rateStreakStart;
    }

    public boolean rateStreakAlerted(long streakStart) {
        return rateAlertedStreakStart == streakStart;
    }

    public void markRateStreakAlerted(long streakStart) {
        rateAlertedStreakStart = streakStart;
    }

    public long firstSeenMinute() {
        return firstSeenMinute;
    }

    /** The start of the last minute the key was used in, or {@link Long#MIN_VALUE} when never. */
    public long lastSeenMinute() {
        return lastSeenMinute;
    }

    public int activeMinutes() {
        return activeMinutes;
    }

    public boolean knowsCountry(String country) {
        return countries.contains(country);
    }

    /** Remembers a country; false when the set is full (the key then counts as used from anywhere). */
    public boolean addCountry(String country) {
        if (countries.contains(country)) {
            return true;
        }
        if (countries.size() >= MAX_COUNTRIES) {
            countriesSaturated = true;
            return false;
        }
        countries.add(country);
        return true;
    }

    public List<String> countries() {
        return List.copyOf(countries);
    }

    public boolean countriesSaturated() {
        return countriesSaturated;
    }

    /** True when {@code rule} already alerted in the window starting {@code windowStart} (hour, day or week). */
    public boolean alertedIn(AlertRule rule, long windowStart) {
        return marks.get(rule) == windowStart;
    }

    /** True when {@code rule} (hour-, day- or week-windowed) has alerted for this key in some window. */
    public boolean everAlerted(AlertRule rule) {
        return marks.get(rule) != NEVER;
    }

    /** Any rule can keep a mark: they are stored by the rule's explicit code. */
    public void markAlerted(AlertRule rule, long windowStart) {
        marks.set(rule, windowStart);
    }

    /**
     * A copy of a profile's alert marks and learned countries (countries only grow), so that what an event's
     * detection marked can be taken back when that detection fails.
     */
    public static final class Marks {
        private final WindowMarks marks = new WindowMarks();
        private long rateAlertedStreakStart;
        private int countries;
        private boolean countriesSaturated;
    }

    public void saveMarks(Marks into) {
        into.marks.copyFrom(marks);
        into.rateAlertedStreakStart = rateAlertedStreakStart;
        into.countries = countries.size();
        into.countriesSaturated = countriesSaturated;
    }

    public void restoreMarks(Marks from) {
        marks.copyFrom(from.marks);
        rateAlertedStreakStart = from.rateAlertedStreakStart;
        if (countries.size() > from.countries) {
            countries.subList(from.countries, countries.size()).clear();
        }
        countriesSaturated = from.countriesSaturated;
    }

    /**
     * Version 3: only the hours of the day that have data, only the times that are set, variable-length counts, then
     * the window marks as pairs of rule code and window start ({@link WindowMarks}). Version 2 was the same but for
     * the marks, stored by position in {@link WindowMarks#BY_POSITION}. A key seen for a few minutes takes about a
     * tenth of version 1's fixed 24 hours and six marks.
     */
    void writeTo(CompactWriter out) {
        out.writeByte((volume != null ? HAS_VOLUME : 0) | (countriesSaturated ? COUNTRIES_SATURATED : 0)
                | (ipMean != 0 ? HAS_IP_MEAN : 0) | (ipDeviation != 0 ? HAS_IP_DEVIATION : 0));
        if (volume != null) {
            out.writeSignedVarLong(volume.currentMinuteStart());
            out.writeDouble(volume.mean());
            out.writeDouble(volume.deviation());
            out.writeVarLong(volume.observedMinutes());
        }
        long hours = 0;
        for (int h = 0; h < HOURS; h++) {
            if (hourMinutes[h] != 0 || hourMean[h] != 0 || hourDeviation[h] != 0) {
                hours |= 1L << h;
            }
        }
        out.writeVarLong(hours);
        for (int h = 0; h < HOURS; h++) {
            if ((hours & (1L << h)) != 0) {
                out.writeFloat(hourMean[h]);
                out.writeFloat(hourDeviation[h]);
                out.writeVarLong(hourMinutes[h]);
            }
        }
        if (ipMean != 0) {
            out.writeDouble(ipMean);
        }
        if (ipDeviation != 0) {
            out.writeDouble(ipDeviation);
        }
        out.writeVarLong(ipMinutes);
        out.writeVarLong(rateStreakMinutes);
        out.writeVarLong(activeMinutes);
        writeTimes(out, new long[] {rateStreakStart, rateAlertedStreakStart, firstSeenMinute, lastSeenMinute});
        out.writeVarLong(countries.size());
        for (String country : countries) {
            out.writeString(country);
        }
        marks.writeTo(out);
    }

    /** A count, a bit per time that is set (not {@link #NEVER}), then those times. */
    private static void writeTimes(CompactWriter out, long[] times) {
        long set = 0;
        for (int i = 0; i < times.length; i++) {
            if (times[i] != NEVER) {
                set |= 1L << i;
            }
        }
        out.writeByte(times.length);
        out.writeVarLong(set);
        for (long time : times) {
            if (time != NEVER) {
                out.writeSignedVarLong(time);
            }
        }
    }

    /** Reads what {@link #writeTimes} wrote into {@code times} (sized by this build; extra times are skipped). */
    private static void readTimes(CompactReader in, long[] times) {
        int count = in.readUnsignedByte();
        long set = in.readVarLong();
        for (int i = 0; i < count; i++) {
            long time = (set & (1L << i)) != 0 ? in.readSignedVarLong() : NEVER;
            if (i < times.length) {
                times[i] = time;
            }
        }
    }

    /** Reads version 2 or 3 ({@link #writeTo}); they differ only in the marks ({@link #readMarks}). */
    static KeyProfile readFrom(CompactReader in, int version) {
        int flags = in.readUnsignedByte();
        VolumeBaseline volume = null;
        if ((flags & HAS_VOLUME) != 0) {
            volume = new VolumeBaseline(in.readSignedVarLong(), in.readDouble(), in.readDouble(), in.readVarInt());
        }
        float[] hourMean = new float[HOURS];
        float[] hourDeviation = new float[HOURS];
        int[] hourMinutes = new int[HOURS];
        long hours = in.readVarLong();
        for (int h = 0; h < HOURS; h++) {
            if ((hours & (1L << h)) != 0) {
                hourMean[h] = in.readFloat();
                hourDeviation[h] = in.readFloat();
                hourMinutes[h] = in.readVarInt();
            }
        }
        double ipMean = (flags & HAS_IP_MEAN) != 0 ? in.readDouble() : 0;
        double ipDeviation = (flags & HAS_IP_DEVIATION) != 0 ? in.readDouble() : 0;
        int ipMinutes = in.readVarInt();
        int streak = in.readVarInt();
        int active = in.readVarInt();
        long[] times = {NEVER, NEVER, NEVER, NEVER};
        readTimes(in, times);
        int countryCount = in.readVarInt();
        List<String> countries = new ArrayList<>(Math.min(countryCount, MAX_COUNTRIES));
        for (int i = 0; i < countryCount; i++) {
            countries.add(in.readString());
        }
        WindowMarks marks = readMarks(in, version);
        KeyProfile profile = new KeyProfile(hourMean, hourDeviation, hourMinutes, countries, marks);
        profile.volume = volume;
        profile.ipMean = ipMean;
        profile.ipDeviation = ipDeviation;
        profile.ipMinutes = ipMinutes;
        profile.rateStreakMinutes = streak;
        profile.rateStreakStart = times[0];
        profile.rateAlertedStreakStart = times[1];
        profile.firstSeenMinute = times[2];
        profile.lastSeenMinute = times[3];
        profile.activeMinutes = active;
        profile.countriesSaturated = (flags & COUNTRIES_SATURATED) != 0;
        return profile;
    }

    /** The window marks: by rule code since version 3, by position in {@link WindowMarks#BY_POSITION} before. */
    private static WindowMarks readMarks(CompactReader in, int version) {
        if (version >= 3) {
            return WindowMarks.readFrom(in);
        }
        long[] byPosition = new long[WindowMarks.BY_POSITION.length];
        java.util.Arrays.fill(byPosition, NEVER);
        readTimes(in, byPosition);
        return WindowMarks.fromPositions(byPosition);
    }

    /** Version 1 (fixed-width, every hour and mark), still read after an upgrade. */
    static KeyProfile readLegacy(DataInput in) throws IOException {
        VolumeBaseline volume = null;
        if (in.readBoolean()) {
            volume = new VolumeBaseline(in.readLong(), in.readDouble(), in.readDouble(), in.readInt());
        }
        float[] hourMean = new float[HOURS];
        float[] hourDeviation = new float[HOURS];
        int[] hourMinutes = new int[HOURS];
        for (int h = 0; h < HOURS; h++) {
            hourMean[h] = in.readFloat();
            hourDeviation[h] = in.readFloat();
            hourMinutes[h] = in.readInt();
        }
        double ipMean = in.readDouble();
        double ipDeviation = in.readDouble();
        int ipMinutes = in.readInt();
        int streak = in.readInt();
        long streakStart = in.readLong();
        long alertedStreakStart = in.readLong();
        long firstSeen = in.readLong();
        long lastSeen = in.readLong();
        int active = in.readInt();
        int countryCount = in.readUnsignedByte();
        List<String> countries = new ArrayList<>(countryCount);
        for (int i = 0; i < countryCount; i++) {
            countries.add(in.readUTF());
        }
        boolean saturated = in.readBoolean();
        long[] byPosition = new long[WindowMarks.BY_POSITION.length];
        java.util.Arrays.fill(byPosition, NEVER);
        int markCount = in.readUnsignedByte();
        for (int i = 0; i < markCount; i++) {
            long mark = in.readLong();
            if (i < byPosition.length) {
                byPosition[i] = mark;
            }
        }
        WindowMarks marks = WindowMarks.fromPositions(byPosition);
        KeyProfile profile = new KeyProfile(hourMean, hourDeviation, hourMinutes, countries, marks);
        profile.volume = volume;
        profile.ipMean = ipMean;
        profile.ipDeviation = ipDeviation;
        profile.ipMinutes = ipMinutes;
        profile.rateStreakMinutes = streak;
        profile.rateStreakStart = streakStart;
        profile.rateAlertedStreakStart = alertedStreakStart;
        profile.firstSeenMinute = firstSeen;
        profile.lastSeenMinute = lastSeen;
        profile.activeMinutes = active;
        profile.countriesSaturated = saturated;
        return profile;
    }
}
