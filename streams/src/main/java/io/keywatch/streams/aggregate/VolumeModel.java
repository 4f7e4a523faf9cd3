package io.keywatch.streams.aggregate;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The slow part of a key's volume profile, learnt over days and weeks (the recent level is {@link VolumeBaseline}'s):
 *
 * <ul>
 *   <li><b>Hour of day</b>: 24 levels (requests per minute), each an average over days of that UTC hour's mean (a
 *   plain average for its first {@value #DAY_MEMORY} days, then an EWMA with that memory), divided by the day of
 *   week's factor once that is known. An hour counts once seen on {@value #HOUR_WARM_DAYS} days.</li>
 *   <li><b>Day of week</b>: 7 multiplicative factors, each a UTC day's requests over what its (warm) hour levels
 *   expected, averaged over weeks (EWMA, memory {@value #WEEK_MEMORY} weeks). A factor counts once seen on
 *   {@value #WEEKDAY_WARM_WEEKS} week(s): until then a quiet weekend only lowers the hour levels a little.</li>
 *   <li><b>Recurring peak</b>: per hour of day, the busiest minute and the requests above the key's background that
 *   recur there (each the lesser of the hour's value on a day and on the last day it was learnt, averaged over days
 *   like the level): a periodic job's burst and what it adds to the hour. A lone burst on one day is neither; they
 *   learn at most {@value #WARM_UP_PEAK_CAP} before the hour is warm, and once it is warm rise only to the count of
 *   an alerted minute (at most {@value #PEAK_GROWTH} x); they fade over days without the job and over silences.</li>
 *   <li><b>Dispersion</b> {@code k}: how much more the key's minutes vary than a Poisson count (variance
 *   {@code mu + k mu^2}), an average over about a day of minutes.</li>
 *   <li><b>Slow anchor</b>: an EWMA of the learnt minutes with a memory of {@value #ANCHOR_MEMORY} minutes (a plain
 *   average before that), which a ramp kept just below the spike threshold cannot drag along the way it drags the
 *   recent level; moved to the new level at a changepoint.</li>
 *   <li><b>Streaks</b>: the anomalously high (and low) completed minutes in a row, their first minute and sum, and
 *   which alert the streak already raised; after {@code volume.adaptMinutes} of them the recent level (and the slow
 *   anchor) jumps to their mean (a changepoint), so a planned level change raises one alert and is then normal; the
 *   streak then ends only after {@code volume.adaptMinutes} normal minutes, so a ramp rising on is the same streak,
 *   raised again only at each {@code volume.factor} x the count of the minute it last alerted in (kept here).</li>
 *   <li><b>Pause level</b>: after a changepoint to a lower level, the level before it, fading with a memory of
 *   {@value #PAUSE_MEMORY} minutes, so that a busy key's return from a pause is no spike.</li>
 *   <li><b>Silence level</b>: after more than a day without a request, the level the key had when it last called
 *   (its recent level or slow anchor, whichever was larger), kept while the recent level warms up again and judged
 *   against only where the rhythm does not know the hour: a young key's return far above it is a spike, not its new
 *   normal.</li>
 * </ul>
 *
 * <p>Stored compactly: only the hours and days with data (a whole profile is 370 to 450 bytes after three weeks of
 * traffic every hour, 100 to 175 of them the recurring peaks).
 */
public final class VolumeModel {

    static final int HOURS = 24;
    static final int DAYS = 7;
    /** Days an hour-of-day level needs before it counts. */
    public static final int HOUR_WARM_DAYS = 3;
    /** Weeks a day-of-week factor needs before it counts. */
    public static final int WEEKDAY_WARM_WEEKS = 1;
    /** Memory, in days, of an hour-of-day level. */
    static final int DAY_MEMORY = 4;
    /** Memory, in weeks, of a day-of-week factor. */
    static final int WEEK_MEMORY = 3;
    /** Memory, in minutes, of the dispersion. */
    static final int DISPERSION_MEMORY = 1440;
    /**
     * Dispersion is bounded: one wild minute must not make every later count probable (at k = 1 a count's standard
     * deviation is about its mean; VolumeJudge's ceiling bounds the critical count besides).
     */
    static final double MAX_DISPERSION = 1.0;
    /** Memory, in minutes, of the slow anchor: a ramp must last many hours to drag it along. */
    static final int ANCHOR_MEMORY = 360;
    /**
     * Memory, in minutes, of the level before a pause: a deploy or an overnight stop of a busy key is not long enough
     * to make its return a spike; a key that stays low for days has a new normal.
     */
    static final int PAUSE_MEMORY = 1440;
    /** A pause level below this many requests a minute is forgotten (it no longer lifts any expectation). */
    static final double MIN_PAUSE_LEVEL = 0.5;
    /**
     * A recurring peak is a burst (a job's), not the hour's noise, only at this many times the hour's level or more: a
     * steady key's busiest minute is a few deviations above its level and must not loosen its judgement.
     */
    static final double PEAK_BURST_RATIO = 3.0;
    /**
     * How far above the recurring peak a minute may go unjudged by the rhythm, and how far above the hour's recurring
     * requests all the hour's minutes may go together: a job's run of about its usual size is no spike, twice the job
     * is. Not {@code volume.factor}: that would let three jobs' worth through unseen.
     */
    public static final double PEAK_HEADROOM = 2.0;
    /**
     * In a warm hour, the most a day can raise the recurring peak to, as a multiple of what it was (at least
     * {@value #PEAK_GROWTH_FLOOR} requests), and only as far as a minute of the hour that raised an alert reached;
     * without an alert it does not rise (above the floor). Bursts on two days running, alerted, must not buy silence
     * for any size at once; a new job on an old key is learnt within days, one alert a day.
     */
    static final double PEAK_GROWTH = 4.0;
    static final double PEAK_GROWTH_FLOOR = 10.0;
    /**
     * Before an hour is warm, the most its recurring peak and excess learn (requests): bursts of any size on a new
     * key's first days, alerted each day, must not buy silence for their size; a bigger job is learnt from there, one
     * alert a day. Ten times the default {@code volume.floor}.
     */
    static final double WARM_UP_PEAK_CAP = 1000;
    /**
     * Silent minutes, beyond the day folded minute by minute, before the recurring peaks fade: a job that runs every
     * other day keeps its peak across its usual gap; a key dormant for weeks wakes without it.
     */
    static final long PEAK_SILENCE_GRACE_MINUTES = 1440;
    /** A day-of-week factor is only learnt from a day whose warm hours expected at least this many requests. */
    static final double MIN_DAY_EXPECTED = 60;
    /** An hour's mean is only learnt from an hour of which at least this many minutes were seen. */
    static final int MIN_HOUR_MINUTES = 30;
    static final long NEVER = Long.MIN_VALUE;
    /**
     * Normal minutes in a row an alerted spike streak outlasts: a minute of the new level that happens to fall just
     * below the critical count (a Poisson count of 40 is below 35 about one minute in five) must not end the streak,
     * or the next minute starts a new one with a new alert; a stricter {@code volume.probability} makes such minutes
     * likelier. Longer than that, the anomaly is over.
     */
    public static final int SPIKE_GAP_MINUTES = 5;

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;

    final float[] hourLevel = new float[HOURS];
    final int[] hourDays = new int[HOURS];
    final float[] dayFactor = new float[DAYS];
    final int[] dayWeeks = new int[DAYS];
    /** Per hour of day: its recurring peak (requests in a minute), 0 for none. */
    final float[] hourPeak = new float[HOURS];
    /** Per hour of day: its busiest minute (requests) on the last day it was learnt on. */
    final long[] hourLastMax = new long[HOURS];
    /**
     * Per hour of day: the requests above the key's background (its recent level or rhythm) that recur in
     * it, 0 for none: what a job adds to the hour.
     */
    final float[] hourExcess = new float[HOURS];
    /** Per hour of day: its requests above the background on the last day it was learnt on. */
    final long[] hourLastExcess = new long[HOURS];
    long hourStart = NEVER;
    double hourSum;
    int hourMinutes;
    /** The busiest minute (requests, unclipped) of the hour being summed. */
    long hourMax;
    /** The requests above the background of the hour being summed. */
    double hourExcessSum;
    /** The largest count of a minute of the hour being summed that raised a VOLUME_SPIKE (what its peak may rise to). */
    long hourAlertedMax;
    /** The excess of the minutes of the hour being summed that raised a VOLUME_SPIKE (what its excess may rise by). */
    double hourAlertedExcess;
    long dayStart = NEVER;
    double daySum;
    double dayExpected;
    double dispersion;
    int dispersionMinutes;
    double anchor;
    int anchorMinutes;
    int spikeMinutes;
    long spikeStart = NEVER;
    double spikeSum;
    /** The severity code + 1 of the highest VOLUME_SPIKE the current spike streak raised; 0 for none. */
    int spikeAlerted;
    /** After a changepoint: how many more normal minutes the spike streak outlasts (volume.adaptMinutes at first). */
    int spikeGrace;
    /** Normal minutes in a row within an alerted spike streak, up to {@value #SPIKE_GAP_MINUTES}. */
    int spikeGap;
    /** The count of the minute the streak first raised a VOLUME_SPIKE in; 0 before it raised one. */
    float spikeFirstLevel;
    /** The count of the last minute the streak raised (or re-raised) a VOLUME_SPIKE in; 0 before it raised one. */
    float spikeLevel;
    /**
     * After a changepoint to a lower level (a pause): the level before it, decaying with a memory of
     * {@value #PAUSE_MEMORY} minutes, which spikes are judged against besides (a key's return to its usual level is
     * no spike); 0 for none.
     */
    double pauseLevel;
    /**
     * The expectation an alerted spike streak left behind (its highest count / {@code volume.factor}), fading with a
     * memory of {@code volume.burstMemoryMinutes}, which spikes are judged against besides: a key that returns within
     * hours to a level it was already alerted for raises nothing new; 0 for none.
     */
    double burstLevel;
    /**
     * After more than a day of silence: the level the key had when it last called (requests per minute), which its
     * return is judged against while the recent level warms up again, where the rhythm does not know the hour; 0 for
     * none (the key settled again, or was never silent that long).
     */
    double silenceLevel;
    int dropMinutes;
    long dropStart = NEVER;
    double dropSum;
    long dropAlertedStart = NEVER;

    /** Day of week of a UTC time, Monday = 0 (1970-01-01 was a Thursday). */
    public static int dayOfWeek(long epochMs) {
        return (int) Math.floorMod(Math.floorDiv(epochMs, DAY_MS) + 3, 7L);
    }

    public static int hourOfDay(long epochMs) {
        return (int) Math.floorMod(epochMs, DAY_MS) / (int) HOUR_MS;
    }

    /** The hour's level (requests per minute, before the day's factor), or NaN while that hour is cold. */
    public double hourLevel(long minuteStart) {
        int hour = hourOfDay(minuteStart);
        return hourDays[hour] >= HOUR_WARM_DAYS ? hourLevel[hour] : Double.NaN;
    }

    /**
     * What the rhythm saw of the minute's hour so far, once seen on one day at least (hour level x day factor once the
     * factor is warm), or NaN for an hour never seen: before the hour is warm, only a hint of what the key does then.
     */
    public double hourHint(long minuteStart) {
        int hour = hourOfDay(minuteStart);
        return hourDays[hour] == 0 ? Double.NaN : withDayFactor(hourLevel[hour], minuteStart);
    }

    /**
     * The hour's recurring peak (requests in a minute) once the hour is warm and the peak is a burst (at least
     * {@value #PEAK_BURST_RATIO} x the hour's level), else NaN.
     */
    public double recurringPeak(long minuteStart) {
        int hour = hourOfDay(minuteStart);
        double peak = hourPeak[hour];
        return hourDays[hour] >= HOUR_WARM_DAYS && peak > 0 && peak >= PEAK_BURST_RATIO * hourLevel[hour]
                ? peak : Double.NaN;
    }

    /**
     * The count up to which the hour's recurring peak allows the minute: {@value #PEAK_HEADROOM} x the peak, and no
     * more than the minute's expectation ({@code background}) plus what is left of {@value #PEAK_HEADROOM} x the
     * hour's recurring excess after its minutes so far (so bursts spaced through the hour, over a key's background or
     * not, get no more than twice what the job adds to it); NaN when there is no peak or it allows nothing more.
     */
    public double peakAllowance(long minuteStart, double background) {
        double peak = recurringPeak(minuteStart);
        if (Double.isNaN(peak)) {
            return Double.NaN;
        }
        long hour = minuteStart - Math.floorMod(minuteStart, HOUR_MS);
        double left = PEAK_HEADROOM * hourExcess[hourOfDay(minuteStart)] - (hour == hourStart ? hourExcessSum : 0);
        double allowance = Math.min(PEAK_HEADROOM * peak, Math.max(0, background) + left);
        return left > 0 && allowance > 0 ? allowance : Double.NaN;
    }

    /**
     * Counts the minute just learnt into its hour's busiest minute and excess (its count unclipped, and above
     * {@code background}, the expectation it was judged against), and, when it raised a VOLUME_SPIKE, into the count
     * the hour's peak may rise to.
     */
    void countBurst(long count, double background, boolean alerted) {
        hourMax = Math.max(hourMax, count);
        // in eighths of a request, as stored
        double excess = Math.round(Math.max(0, count - Math.max(0, background)) * PEAK_EIGHTHS) / (double) PEAK_EIGHTHS;
        hourExcessSum = Math.min(hourExcessSum + excess, MAX_PEAK);
        if (alerted) {
            hourAlertedMax = Math.max(hourAlertedMax, count);
            // only a burst like the job's or bigger may raise the excess: a small alert elsewhere in the hour must not
            if (hourStart != NEVER && count >= hourPeak[hourOfDay(hourStart)]) {
                hourAlertedExcess = Math.min(hourAlertedExcess + excess, MAX_PEAK);
            }
        }
    }

    /**
     * {@code minutes} of silence not learnt minute by minute (beyond the day folded): the recurring peaks and requests
     * fade as on days without the job, so a dormant job's key is judged as any key when it wakes.
     */
    void fadePeaks(long minutes) {
        if (minutes <= 0) {
            return;
        }
        double fade = Math.pow(1 - 1.0 / DAY_MEMORY, minutes / (double) (DAY_MS / MINUTE_MS));
        for (int h = 0; h < HOURS; h++) {
            hourPeak[h] = (float) (hourPeak[h] * fade);
            hourExcess[h] = (float) (hourExcess[h] * fade);
        }
    }

    /** The day of week's factor, or NaN while it is cold. */
    public double dayFactor(long minuteStart) {
        int day = dayOfWeek(minuteStart);
        return dayWeeks[day] >= WEEKDAY_WARM_WEEKS ? dayFactor[day] : Double.NaN;
    }

    /** What the rhythm expects of the minute: hour level x day factor (1 while cold), or NaN while the hour is cold. */
    public double seasonal(long minuteStart) {
        return withDayFactor(hourLevel(minuteStart), minuteStart);
    }

    /** {@code level} times the minute's day-of-week factor once that is warm (1 until then). */
    private double withDayFactor(double level, long minuteStart) {
        double factor = dayFactor(minuteStart);
        return Double.isNaN(factor) ? level : level * factor;
    }

    public double dispersion() {
        return dispersion;
    }

    /** The slow anchor (requests per minute), or NaN before the first learnt minute. */
    public double anchor() {
        return anchorMinutes == 0 ? Double.NaN : anchor;
    }

    /** Folds a learnt (clipped) minute into the slow anchor. */
    void learnAnchor(double count) {
        double weight = Math.max(1.0 / ANCHOR_MEMORY, 1.0 / (anchorMinutes + 1));
        anchor = (1 - weight) * anchor + weight * count;
        anchorMinutes = Math.min(anchorMinutes + 1, 1 << 30);
    }

    /** A changepoint: the anchor is the new level at once (volume.adaptMinutes holds for it too). */
    void moveAnchor(double level) {
        anchor = level;
        anchorMinutes = Math.max(anchorMinutes, 1);
    }

    /** The anchor starts over (a key back after a long silence): the recent level stands for it until it learns. */
    void forgetAnchor() {
        anchor = 0;
        anchorMinutes = 0;
    }

    /** The expectation an alerted burst left behind, fading; 0 for none. */
    public double burstLevel() {
        return burstLevel;
    }

    /**
     * The burst level once its streak is over (0 while a spike streak goes on): within the streak, its re-raises per
     * factor step and its changepoint decide, as without the memory; the memory only judges the key's next streaks.
     */
    public double pastBurstLevel() {
        return spikeMinutes > 0 ? 0 : burstLevel;
    }

    /** A minute of an alerted spike streak: its count / {@code volume.factor} is expected for a while. */
    void rememberBurst(double level) {
        burstLevel = Math.max(burstLevel, level);
    }

    /** {@code minutes} more minutes since the last alerted burst: its level fades (memory 0: forgotten at once). */
    void fadeBurst(long minutes, int memoryMinutes) {
        if (burstLevel == 0 || minutes <= 0) {
            return;
        }
        burstLevel = memoryMinutes <= 0 ? 0 : burstLevel * Math.pow(1 - 1.0 / memoryMinutes, minutes);
        if (burstLevel < MIN_PAUSE_LEVEL) {
            burstLevel = 0;
        }
    }

    /** The level before the last pause (a changepoint to a lower level), decaying; 0 for none. */
    public double pauseLevel() {
        return pauseLevel;
    }

    /** A changepoint to a lower level: the level before it is remembered as the level the key may return to. */
    void pausedFrom(double level) {
        pauseLevel = Math.max(pauseLevel, level);
    }

    /** One more minute since the pause: its level fades (and is forgotten once the recent level is back above it). */
    void fadePauseLevel(double recent) {
        fadePauseLevel(recent, 1);
    }

    /** {@code minutes} more minutes since the pause (a silence longer than the minutes folded one by one). */
    void fadePauseLevel(double recent, long minutes) {
        if (pauseLevel == 0 || minutes <= 0) {
            return;
        }
        pauseLevel *= minutes == 1 ? 1 - 1.0 / PAUSE_MEMORY : Math.pow(1 - 1.0 / PAUSE_MEMORY, minutes);
        if (pauseLevel < MIN_PAUSE_LEVEL || recent >= pauseLevel) {
            pauseLevel = 0;
        }
    }

    /** The level the key had before a silence of more than a day, while it warms up again; 0 for none. */
    public double silenceLevel() {
        return silenceLevel;
    }

    /**
     * A silence of more than a day begins: {@code level} is what the key made when it last called. A level not yet
     * settled since an earlier silence is kept if larger (a key that called for a minute or two between two silences
     * has not shown a new normal). A key that called at all is kept at {@value #MIN_PAUSE_LEVEL} a minute at least:
     * a quiet key (a forgotten cron or CI key, a request every few minutes) is the typical leak, and its return at
     * thousands a minute must be judged, not learnt as its new normal.
     */
    void silencedAt(double level) {
        if (Double.isFinite(level) && level > silenceLevel) {
            silenceLevel = level;
        }
        silenceLevel = Math.max(silenceLevel, MIN_PAUSE_LEVEL);
    }

    /** The recent level rests on enough minutes again: it alone says what the key makes now. */
    void forgetSilenceLevel() {
        silenceLevel = 0;
    }

    /** The count of the minute the current spike streak first raised a VOLUME_SPIKE in, 0 before it raised one. */
    public double spikeStreakFirstLevel() {
        return spikeMinutes > 0 ? spikeFirstLevel : 0;
    }

    /** The count of the minute the current spike streak last raised a VOLUME_SPIKE in, 0 before it raised one. */
    public double spikeStreakLevel() {
        return spikeMinutes > 0 ? spikeLevel : 0;
    }

    /**
     * Whether a normal minute now would be a gap within an alerted spike streak (which outlasts it), rather than the
     * streak's end: such a minute is part of the anomaly and is not learnt either.
     */
    boolean inAlertedStreak() {
        return spikeMinutes > 0 && spikeAlerted > 0 && spikeGrace == 0 && spikeGap < SPIKE_GAP_MINUTES;
    }

    public int spikeStreakMinutes() {
        return spikeMinutes;
    }

    public long spikeStreakStart() {
        return spikeStart;
    }

    /** The severity code + 1 of the highest VOLUME_SPIKE of the current streak, 0 for none. */
    public int spikeStreakAlerted() {
        return spikeAlerted;
    }

    public int dropStreakMinutes() {
        return dropMinutes;
    }

    public long dropStreakStart() {
        return dropStart;
    }

    public boolean dropStreakAlerted() {
        return dropMinutes > 0 && dropAlertedStart == dropStart;
    }

    /** Marks the drop streak starting at {@code streakStart} as alerted (it alerts once, however long it lasts). */
    public void markDropAlerted(long streakStart) {
        dropAlertedStart = streakStart;
    }

    /**
     * Learns one completed minute's (clipped) count: its hour's and day's running sums, closing the hour or day it
     * ends, and the dispersion against what was expected of it.
     *
     * @param expected what the profile expected of the minute (NaN or 0: nothing to compare the dispersion with)
     */
    void learn(long minuteStart, double count, double expected) {
        long hour = minuteStart - Math.floorMod(minuteStart, HOUR_MS);
        if (hour != hourStart) {
            closeHour();
            hourStart = hour;
            hourSum = 0;
            hourMinutes = 0;
            hourMax = 0;
            hourExcessSum = 0;
            hourAlertedMax = 0;
            hourAlertedExcess = 0;
        }
        hourSum += count;
        hourMinutes++;

        long day = minuteStart - Math.floorMod(minuteStart, DAY_MS);
        if (day != dayStart) {
            closeDay();
            dayStart = day;
            daySum = 0;
            dayExpected = 0;
        }
        double level = hourLevel(minuteStart);
        if (!Double.isNaN(level)) {
            daySum += count;
            dayExpected += level;
        }
        // an unbiased sample of k: E[(x - mu)^2 - x] = k mu^2 for a negative binomial (0 for Poisson); tiny expected
        // counts say nothing about it and would explode it
        if (expected >= 1) {
            double sample = ((count - expected) * (count - expected) - count) / (expected * expected);
            sample = Math.max(-1, Math.min(MAX_DISPERSION, sample));
            double weight = Math.max(1.0 / DISPERSION_MEMORY, 1.0 / (dispersionMinutes + 1));
            dispersion = (float) Math.max(0, (1 - weight) * dispersion + weight * sample);
            dispersionMinutes = Math.min(dispersionMinutes + 1, 1 << 30);
        }
    }

    private void closeHour() {
        if (hourStart == NEVER || hourMinutes < MIN_HOUR_MINUTES) {
            return;
        }
        int h = hourOfDay(hourStart);
        double mean = hourSum / hourMinutes;
        double factor = dayFactor(hourStart);
        if (!Double.isNaN(factor) && factor > 0) {
            mean /= factor;
        }
        double weight = Math.max(1.0 / DAY_MEMORY, 1.0 / (hourDays[h] + 1));
        hourLevel[h] = (float) ((1 - weight) * hourLevel[h] + weight * mean);
        // the busiest minute and the hour's excess count only as far as they recurred: the lesser of this day's and
        // the last day's, averaged from the hour's second day (its first has none before it), so a lone burst is
        // neither. Bursts on days running do recur, alerted or not, so what they may teach is bounded: before the hour
        // is warm by WARM_UP_PEAK_CAP; once it is warm, neither rises above what it was unless minutes of the hour
        // raised an alert, and then only by what those minutes reached (the peak to their count, the excess by
        // theirs), at most PEAK_GROWTH x what it was: minutes within the allowance must not compound it day after
        // day, nor a cheap alert in another minute unlock it
        if (hourDays[h] > 0) {
            double recurringMax = Math.min(hourMax, hourLastMax[h]);
            double recurringExcess = Math.min(hourExcessSum, hourLastExcess[h]);
            if (hourDays[h] >= HOUR_WARM_DAYS) {
                double peakBase = Math.max(hourPeak[h], PEAK_GROWTH_FLOOR);
                recurringMax = Math.min(recurringMax,
                        Math.max(peakBase, Math.min(PEAK_GROWTH * peakBase, hourAlertedMax)));
                double excessBase = Math.max(hourExcess[h], PEAK_GROWTH_FLOOR);
                recurringExcess = Math.min(recurringExcess,
                        Math.min(PEAK_GROWTH * excessBase, excessBase + hourAlertedExcess));
            } else {
                recurringMax = Math.min(recurringMax, WARM_UP_PEAK_CAP);
                recurringExcess = Math.min(recurringExcess, WARM_UP_PEAK_CAP);
            }
            double peakWeight = Math.max(1.0 / DAY_MEMORY, 1.0 / hourDays[h]);
            hourPeak[h] = (float) ((1 - peakWeight) * hourPeak[h] + peakWeight * recurringMax);
            hourExcess[h] = (float) ((1 - peakWeight) * hourExcess[h] + peakWeight * recurringExcess);
        }
        hourLastMax[h] = hourMax;
        hourLastExcess[h] = Math.round(Math.min(hourExcessSum, MAX_PEAK));
        hourDays[h] = Math.min(hourDays[h] + 1, 1 << 20);
    }

    private void closeDay() {
        if (dayStart == NEVER || dayExpected < MIN_DAY_EXPECTED) {
            return;
        }
        int d = dayOfWeek(dayStart);
        double ratio = Math.max(0.02, Math.min(50, daySum / dayExpected));
        double weight = Math.max(1.0 / WEEK_MEMORY, 1.0 / (dayWeeks[d] + 1));
        dayFactor[d] = (float) Math.max(0.02, Math.min(50, (1 - weight) * dayFactor[d] + weight * ratio));
        dayWeeks[d] = Math.min(dayWeeks[d] + 1, 1 << 20);
    }

    /**
     * Counts a completed minute into the streaks. Returns the level the recent average should jump to when a
     * streak reached {@code adaptMinutes} (a changepoint), else NaN.
     *
     * @param high          the minute was improbably high
     * @param low           the minute was improbably low
     * @param alertedSpike  the severity code + 1 of the highest VOLUME_SPIKE the minute raised, 0 for none
     */
    double streak(long minuteStart, double count, boolean high, boolean low, int alertedSpike, int adaptMinutes) {
        if (high) {
            if (spikeMinutes == 0) {
                spikeStart = minuteStart;
                spikeSum = 0;
                spikeAlerted = 0;
                spikeFirstLevel = 0;
                spikeLevel = 0;
            }
            spikeMinutes = Math.min(spikeMinutes + 1, 1 << 30);
            spikeGap = 0;
            spikeSum += count;
            spikeAlerted = Math.max(spikeAlerted, alertedSpike);
            if (alertedSpike > 0) {
                // the minute raised (or re-raised): the next re-raise needs volume.factor x its count
                spikeLevel = (float) count;
                if (spikeFirstLevel == 0) {
                    spikeFirstLevel = (float) count;
                }
            }
        } else if (spikeGrace > 0) {
            // after a changepoint the streak ends only once the key stayed at its new normal for adaptMinutes: a
            // ramp that goes on rising from the level it was adapted to is the same anomaly (one alert)
            spikeGrace--;
        } else if (spikeMinutes > 0 && spikeAlerted > 0 && spikeGap < SPIKE_GAP_MINUTES) {
            // a normal minute within an alerted streak: the streak (and its alert) goes on unless more follow
            spikeGap++;
        } else {
            spikeGap = 0;
            spikeMinutes = 0;
            spikeAlerted = 0;
            spikeFirstLevel = 0;
            spikeLevel = 0;
        }
        if (low) {
            if (dropMinutes == 0) {
                dropStart = minuteStart;
                dropSum = 0;
            }
            dropMinutes++;
            dropSum += count;
        } else {
            dropMinutes = 0;
        }
        // a changepoint every adaptMinutes of the streak: its last adaptMinutes are the new level; the streak (and
        // what it raised) goes on while the minutes stay anomalous, so a ramp that keeps rising is one alert
        if (high && spikeMinutes % adaptMinutes == 0) {
            double level = spikeSum / adaptMinutes;
            spikeSum = 0;
            spikeGrace = adaptMinutes;
            return level;
        }
        if (dropMinutes >= adaptMinutes) {
            double level = dropSum / dropMinutes;
            dropMinutes = 0;
            return level;
        }
        return Double.NaN;
    }

    // the compact format's flag bits: which parts follow
    private static final int HAS_HOURS = 1;
    private static final int HAS_DAYS = 2;
    private static final int HAS_HOUR_SUM = 4;
    private static final int HAS_DAY_SUM = 8;
    private static final int HAS_DISPERSION = 16;
    private static final int HAS_SPIKE_STREAK = 32;
    private static final int HAS_DROP_STREAK = 64;
    private static final int HAS_DROP_ALERTED = 128;
    private static final int HAS_ANCHOR = 256;
    private static final int HAS_SPIKE_LEVELS = 512;
    private static final int HAS_PAUSE_LEVEL = 1024;
    private static final int HAS_BURST_LEVEL = 2048;
    private static final int HAS_SPIKE_GAP = 4096;
    private static final int HAS_SILENCE_LEVEL = 8192;
    private static final int HAS_HOUR_PEAKS = 16384;
    private static final int HAS_HOUR_MAX = 32768;
    private static final int KNOWN_FLAGS = (HAS_HOUR_MAX << 1) - 1;
    private static final int PEAK_EIGHTHS = 8;
    private static final double MAX_PEAK = 1e15;

    /** Only the parts that are set: a fresh model is one byte (the flags, a varint). */
    void writeTo(CompactWriter out) {
        long hours = 0;
        for (int h = 0; h < HOURS; h++) {
            if (hourDays[h] != 0 || hourLevel[h] != 0) {
                hours |= 1L << h;
            }
        }
        long peaks = 0;
        for (int h = 0; h < HOURS; h++) {
            if (hourPeak[h] != 0 || hourLastMax[h] != 0 || hourExcess[h] != 0 || hourLastExcess[h] != 0) {
                peaks |= 1L << h;
            }
        }
        int days = 0;
        for (int d = 0; d < DAYS; d++) {
            if (dayWeeks[d] != 0 || dayFactor[d] != 0) {
                days |= 1 << d;
            }
        }
        // a day that no warm hour expected anything of cannot teach a factor: its running sums need not be kept
        boolean daySums = dayStart != NEVER && dayExpected > 0;
        boolean spikeLevels = spikeMinutes > 0 && spikeFirstLevel != 0;
        int flags = (hours != 0 ? HAS_HOURS : 0) | (days != 0 ? HAS_DAYS : 0)
                | (hourStart != NEVER ? HAS_HOUR_SUM : 0) | (daySums ? HAS_DAY_SUM : 0)
                | (dispersionMinutes != 0 ? HAS_DISPERSION : 0) | (spikeMinutes > 0 ? HAS_SPIKE_STREAK : 0)
                | (dropMinutes > 0 ? HAS_DROP_STREAK : 0) | (dropAlertedStart != NEVER ? HAS_DROP_ALERTED : 0)
                | (anchorMinutes != 0 ? HAS_ANCHOR : 0) | (spikeLevels ? HAS_SPIKE_LEVELS : 0)
                | (pauseLevel != 0 ? HAS_PAUSE_LEVEL : 0) | (burstLevel != 0 ? HAS_BURST_LEVEL : 0)
                | (spikeMinutes > 0 && spikeGap > 0 ? HAS_SPIKE_GAP : 0)
                | (silenceLevel != 0 ? HAS_SILENCE_LEVEL : 0)
                | (peaks != 0 ? HAS_HOUR_PEAKS : 0) | (hourStart != NEVER && hourMax != 0 ? HAS_HOUR_MAX : 0);
        out.writeVarLong(flags);
        if (hours != 0) {
            out.writeVarLong(hours);
            for (int h = 0; h < HOURS; h++) {
                if ((hours & (1L << h)) != 0) {
                    out.writeFloat(hourLevel[h]);
                    out.writeVarLong(hourDays[h]);
                }
            }
        }
        if (days != 0) {
            out.writeByte(days);
            for (int d = 0; d < DAYS; d++) {
                if ((days & (1 << d)) != 0) {
                    out.writeFloat(dayFactor[d]);
                    out.writeVarLong(dayWeeks[d]);
                }
            }
        }
        if (hourStart != NEVER) {
            out.writeSignedVarLong(hourStart);
            out.writeDouble(hourSum);
            out.writeVarLong(hourMinutes);
        }
        if (daySums) {
            out.writeSignedVarLong(dayStart);
            out.writeDouble(daySum);
            out.writeDouble(dayExpected);
        }
        if (dispersionMinutes != 0) {
            out.writeFloat((float) dispersion);
            out.writeVarLong(dispersionMinutes);
        }
        if (spikeMinutes > 0) {
            out.writeVarLong(spikeMinutes);
            out.writeSignedVarLong(spikeStart);
            out.writeDouble(spikeSum);
            out.writeByte(spikeAlerted);
            out.writeVarLong(spikeGrace);
        }
        if (dropMinutes > 0) {
            out.writeVarLong(dropMinutes);
            out.writeSignedVarLong(dropStart);
            out.writeDouble(dropSum);
        }
        if (dropAlertedStart != NEVER) {
            out.writeSignedVarLong(dropAlertedStart);
        }
        if (anchorMinutes != 0) {
            out.writeFloat((float) anchor);
            out.writeVarLong(anchorMinutes);
        }
        if (spikeLevels) {
            out.writeFloat(spikeFirstLevel);
            out.writeFloat(spikeLevel);
        }
        if (pauseLevel != 0) {
            out.writeFloat((float) pauseLevel);
        }
        if (burstLevel != 0) {
            out.writeFloat((float) burstLevel);
        }
        if (spikeMinutes > 0 && spikeGap > 0) {
            out.writeVarLong(spikeGap);
        }
        if (silenceLevel != 0) {
            out.writeFloat((float) silenceLevel);
        }
        if (peaks != 0) {
            // a busiest minute is a whole count and a peak an average of them, kept to an eighth of a request: varints
            // of a byte or two for most keys (a float each would make a key seen at every hour 48 bytes larger)
            out.writeVarLong(peaks);
            for (int h = 0; h < HOURS; h++) {
                if ((peaks & (1L << h)) != 0) {
                    out.writeVarLong(Math.round(Math.min(hourPeak[h], MAX_PEAK) * PEAK_EIGHTHS));
                    out.writeVarLong(hourLastMax[h]);
                    out.writeVarLong(Math.round(Math.min(hourExcess[h], MAX_PEAK) * PEAK_EIGHTHS));
                    out.writeVarLong(hourLastExcess[h]);
                }
            }
        }
        if (hourStart != NEVER && hourMax != 0) {
            out.writeVarLong(hourMax);
            out.writeVarLong(Math.round(Math.min(hourExcessSum, MAX_PEAK) * PEAK_EIGHTHS));
            out.writeVarLong(hourAlertedMax);
            out.writeVarLong(Math.round(Math.min(hourAlertedExcess, MAX_PEAK) * PEAK_EIGHTHS));
        }
    }

    static VolumeModel readFrom(CompactReader in) {
        VolumeModel model = new VolumeModel();
        int flags = in.readVarInt();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            // a part written by a newer build: its length is unknown, so everything after it would be misread
            throw new SerializationException("volume model has parts this build does not know (flags " + flags + ")");
        }
        if ((flags & HAS_HOURS) != 0) {
            long hours = in.readVarLong();
            for (int h = 0; h < HOURS; h++) {
                if ((hours & (1L << h)) != 0) {
                    model.hourLevel[h] = in.readFloat();
                    model.hourDays[h] = in.readVarInt();
                }
            }
        }
        if ((flags & HAS_DAYS) != 0) {
            int days = in.readUnsignedByte();
            for (int d = 0; d < DAYS; d++) {
                if ((days & (1 << d)) != 0) {
                    model.dayFactor[d] = in.readFloat();
                    model.dayWeeks[d] = in.readVarInt();
                }
            }
        }
        if ((flags & HAS_HOUR_SUM) != 0) {
            model.hourStart = in.readSignedVarLong();
            model.hourSum = in.readDouble();
            model.hourMinutes = in.readVarInt();
        }
        if ((flags & HAS_DAY_SUM) != 0) {
            model.dayStart = in.readSignedVarLong();
            model.daySum = in.readDouble();
            model.dayExpected = in.readDouble();
        }
        if ((flags & HAS_DISPERSION) != 0) {
            model.dispersion = in.readFloat();
            model.dispersionMinutes = in.readVarInt();
        }
        if ((flags & HAS_SPIKE_STREAK) != 0) {
            model.spikeMinutes = in.readVarInt();
            model.spikeStart = in.readSignedVarLong();
            model.spikeSum = in.readDouble();
            model.spikeAlerted = in.readUnsignedByte();
            model.spikeGrace = in.readVarInt();
        }
        if ((flags & HAS_DROP_STREAK) != 0) {
            model.dropMinutes = in.readVarInt();
            model.dropStart = in.readSignedVarLong();
            model.dropSum = in.readDouble();
        }
        if ((flags & HAS_DROP_ALERTED) != 0) {
            model.dropAlertedStart = in.readSignedVarLong();
        }
        if ((flags & HAS_ANCHOR) != 0) {
            model.anchor = in.readFloat();
            model.anchorMinutes = in.readVarInt();
        }
        if ((flags & HAS_SPIKE_LEVELS) != 0) {
            model.spikeFirstLevel = in.readFloat();
            model.spikeLevel = in.readFloat();
        }
        if ((flags & HAS_PAUSE_LEVEL) != 0) {
            model.pauseLevel = in.readFloat();
        }
        if ((flags & HAS_BURST_LEVEL) != 0) {
            model.burstLevel = in.readFloat();
        }
        if ((flags & HAS_SPIKE_GAP) != 0) {
            model.spikeGap = Math.min(in.readVarInt(), SPIKE_GAP_MINUTES);
        }
        if ((flags & HAS_SILENCE_LEVEL) != 0) {
            // a stored value is data like any other: a level that is no count is no level
            float level = in.readFloat();
            model.silenceLevel = Float.isFinite(level) && level > 0 ? level : 0;
        }
        if ((flags & HAS_HOUR_PEAKS) != 0) {
            long peaks = in.readVarLong();
            for (int h = 0; h < HOURS; h++) {
                if ((peaks & (1L << h)) != 0) {
                    model.hourPeak[h] = (float) readEighths(in);
                    model.hourLastMax[h] = Math.max(0, in.readVarLong());
                    model.hourExcess[h] = (float) readEighths(in);
                    model.hourLastExcess[h] = Math.max(0, in.readVarLong());
                }
            }
        }
        if ((flags & HAS_HOUR_MAX) != 0) {
            model.hourMax = Math.max(0, in.readVarLong());
            model.hourExcessSum = readEighths(in);
            model.hourAlertedMax = Math.max(0, in.readVarLong());
            model.hourAlertedExcess = readEighths(in);
        }
        return model;
    }

    /**
     * A stored count in eighths of a request, as written: a value is data like any other, so one that is negative or
     * beyond what is ever written (a forged or corrupted record) reads as 0 or {@value #MAX_PEAK}, never as an
     * allowance that numbs the key.
     */
    private static double readEighths(CompactReader in) {
        return Math.min(Math.max(0, in.readVarLong()) / (double) PEAK_EIGHTHS, MAX_PEAK);
    }

    /**
     * The hour-of-day buckets of profile formats 1 and 2 (an average over minutes of that hour, with about three days'
     * memory): the same unit as a level, and about {@code minutes / 60} days of it.
     */
    static VolumeModel fromHourBuckets(float[] hourMean, int[] hourMinutes) {
        VolumeModel model = new VolumeModel();
        for (int h = 0; h < HOURS; h++) {
            model.hourLevel[h] = hourMean[h];
            model.hourDays[h] = hourMinutes[h] / 60;
        }
        return model;
    }
}
