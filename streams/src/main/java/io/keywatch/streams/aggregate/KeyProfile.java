package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import java.io.DataInput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongToDoubleFunction;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Everything keywatch remembers about one key beyond its recent minutes, in one small, bounded value (a few hundred
 * bytes) that the detection processor reads and writes once when a key's minute opens, and otherwise only when a
 * rule needs it (a country new in the minute, an insecure request, an alert of a rule with an hour or day window).
 *
 * <ul>
 *   <li><b>Volume</b>: a recent EWMA ({@link VolumeBaseline}, weight {@code volume.smoothing} per minute, quiet
 *   minutes fold as zeros) and a {@link VolumeModel} learnt over days and weeks (hour-of-day levels x day-of-week
 *   factors, dispersion, streaks of anomalous minutes). A minute's expected count is the larger of the recent level
 *   and, once warm, the rhythm's ({@link #expectedVolume}); for drops, the smaller ({@link #dropExpectedVolume}).
 *   Each completed minute is clipped (winsorized) before it is learnt at {@code max(3 x expected,
 *   expected + 4 x deviation, 1)} and, when implausible at {@value #LEARN_PROBABILITY}, at that level's critical count
 *   (left out of the dispersion too), so one minute moves the averages by at most one plausible step; the slow anchor
 *   ({@link #anchorVolume}) is what a ramp is judged against besides; a minute that was
 *   improbably high or low (its critical counts, {@link VolumeLearning}) is not learnt at all, and a lasting change is
 *   taken over at once after {@code volume.adaptMinutes} such minutes in a row (a changepoint): one alert, then
 *   normal.</li>
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
    static final double CLIP_FACTOR = 3.0;
    static final double CLIP_DEVIATIONS = 4.0;
    /**
     * The looser level at which a minute is learnt only as far as is plausible: a count with {@code P(X >= x)} at or
     * below this is learnt as the level's critical count and left out of the dispersion, so each minute can move the
     * averages only by a statistically plausible step (a ramp kept just below the spike threshold is not learnt as is).
     */
    static final double LEARN_PROBABILITY = 1e-3;
    /** How many minutes early the rhythm's next hour counts for spikes ({@link #seasonalAhead}). */
    static final int RHYTHM_LOOKAHEAD_MINUTES = 5;
    /**
     * The share of an hour's level seen on fewer days than the rhythm needs that counts in the slow anchor: one or two
     * days say what the key usually does at that hour, not how far above it a count is still usual. At two thirds, a
     * ramp is judged against the anchor from about {@code volume.factor} x 2/3 x that level (2 x by default): the
     * public load balancer's third day, 2.6 x its 17:00 hour of the two days before, is still caught.
     */
    static final double HOUR_HINT_SHARE = 2.0 / 3;
    /** A Poisson count's mean absolute deviation is about 0.8 sqrt(mu) (sqrt(2/pi) for a normal one). */
    private static final double POISSON_MAD_FACTOR = 0.8;
    static final long NEVER = Long.MIN_VALUE;

    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_MS = 3_600_000L;
    private static final long DAY_MS = 86_400_000L;
    // the compact format's flag bits
    private static final int HAS_VOLUME = 1;
    private static final int COUNTRIES_SATURATED = 2;
    private static final int HAS_IP_MEAN = 4;
    private static final int HAS_IP_DEVIATION = 8;
    private static final int KNOWN_FLAGS = HAS_VOLUME | COUNTRIES_SATURATED | HAS_IP_MEAN | HAS_IP_DEVIATION;

    /** The recent volume average; null until the key's first event. */
    VolumeBaseline volume;
    VolumeModel model;
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
        this(new VolumeModel(), new ArrayList<>(), new WindowMarks());
    }

    private KeyProfile(VolumeModel model, List<String> countries, WindowMarks marks) {
        this.model = model;
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
        return advanceTo(newMinuteStart, completedVolume, completedClientIps, VolumeLearning.plain(smoothing),
                rateLimitThreshold);
    }

    /**
     * As {@link #advanceTo(long, long, int, double, double)}, with what detection judged of the completed minute
     * (improbably high or low), which decides how it is clipped, whether it continues a streak, and when a streak
     * becomes the new level.
     */
    public boolean advanceTo(long newMinuteStart, long completedVolume, int completedClientIps,
                             VolumeLearning learning, double rateLimitThreshold) {
        double smoothing = learning.smoothing();
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
        boolean high = completedVolume >= learning.completedHigh();
        boolean low = completedVolume <= learning.completedLow();
        learnMinute(completedStart, completedVolume, high, low, learning.completedSpikeAlerted(), learning);
        long gap = (newMinuteStart - completedStart) / MINUTE_MS - 1;
        long folded = Math.min(gap, VolumeBaseline.MAX_FOLDED_GAP_MINUTES);
        // the level the key had when it last called, taken before a day of quiet minutes fades it to about zero (its
        // recent level or its hours-long anchor, whichever is larger; one not yet settled since an earlier silence)
        double lastLevel = gap > folded ? Math.max(Math.max(recentVolume(), model.silenceLevel()),
                Double.isNaN(model.anchor()) ? 0 : model.anchor()) : 0;
        for (long i = 1; i <= folded; i++) {
            long quiet = completedStart + i * MINUTE_MS;
            learnMinute(quiet, 0, false, quietIsImprobable(quiet, learning), 0, learning);
        }
        // beyond a day of silence the averages are about zero anyway: the rest folds at once
        volume = volume.advanceTo(newMinuteStart, 0, smoothing);
        if (gap > folded) {
            model.streak(newMinuteStart - MINUTE_MS, 0, false, false, 0, Integer.MAX_VALUE);
            // the minutes not folded one by one fade a pause's level too: a long silence must not keep it for ever
            model.fadePauseLevel(volume.mean(), gap - folded);
            model.fadeBurst(gap - folded, learning.burstMemoryMinutes());
            model.fadePeaks(gap - folded - VolumeModel.PEAK_SILENCE_GRACE_MINUTES);
            // after more than a day of silence the recent level (about zero) says nothing of the key's next traffic:
            // it starts over and warms up again on minutes with traffic, or a key back after weeks would spike at
            // its first ordinary minute, or at the warm-up's end against a slow anchor faded to about zero as well
            // (the rhythm, learnt over days, is kept)
            volume = VolumeBaseline.startingAt(newMinuteStart);
            model.forgetAnchor();
            // but not the level it had: while the recent level warms up, a return far above it is a spike (where the
            // rhythm does not know the hour), not the key's new normal learnt unclipped
            model.silencedAt(lastLevel);
        }

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

    /**
     * Learns one completed minute (the recent level moves on to the next minute): clipped as the class comment says,
     * into the rhythm and the streaks; a streak that reached {@code volume.adaptMinutes} becomes the new level.
     */
    private void learnMinute(long minuteStart, double count, boolean high, boolean low, int alertedSpike,
                             VolumeLearning learning) {
        double smoothing = learning.smoothing();
        double expected = expectedVolume(minuteStart);
        // what the key makes around a burst (a quiet minute adds no excess)
        double background = count > 0 ? burstBackground(minuteStart) : 0;
        // high and low were judged only after the warm-up (volume.warmupMinutes); a minute high only against the slow
        // anchor is learnt as far as plausible (below), or a usual rise not yet in the rhythm would page all morning;
        // a normal minute within an alerted streak (a minute of the new level just below the critical count) is part
        // of the anomaly and held back too
        boolean gap = !high && model.inAlertedStreak();
        if ((high && !learning.completedHighByAnchor()) || low || gap) {
            // an improbable minute is held back: the levels stay where they were (their deviation, and so the
            // dispersion, must not learn the anomaly either, or a drop would soon look probable); only a streak of
            // volume.adaptMinutes of them moves the level, at once (below)
            model.learn(minuteStart, high || gap ? expected : dropExpectedVolume(minuteStart), Double.NaN);
            volume = volume.advanceTo(minuteStart + MINUTE_MS, volume.mean(), smoothing);
        } else {
            // an implausible minute (at the looser level LEARN_PROBABILITY) is learnt as that level's critical count
            // and says nothing of the dispersion: minutes just below the spike threshold must neither drag the level
            // up nor widen the model until nothing is improbable any more
            // the day-long dispersion only: the recent deviation is what a ramp inflates, and must not loosen the step
            // (and while a key warms up from a long silence, a Poisson step: the quiet day widened the dispersion, which
            // says nothing of how much the key's traffic varies, and must not let a return climb x3 a minute)
            double k = model.silenceLevel() > 0 ? 0 : Math.min(VolumeModel.MAX_DISPERSION, model.dispersion());
            boolean implausible = expected > 0 && (count > expected
                    ? CountTail.upper((long) count, expected, k) <= LEARN_PROBABILITY
                    : CountTail.lower((long) count, expected, k) <= LEARN_PROBABILITY);
            double learnt = count;
            // no clipping until the average is settled: clipping against a young, low average would keep it low; but a
            // key back from a long silence has the level it had as a reference, and a return that climbs just below
            // the spike threshold must not teach it the climb unclipped while it warms up
            if (volume.settled(smoothing) || model.silenceLevel() > 0) {
                learnt = Math.min(count, clipCap(expected, volume.deviation()));
                if (implausible && count > expected) {
                    learnt = Math.min(learnt, CountTail.criticalHigh(expected, k, LEARN_PROBABILITY));
                }
            }
            model.learn(minuteStart, learnt, implausible ? Double.NaN : expected);
            model.learnAnchor(learnt);
            volume = volume.advanceTo(minuteStart + MINUTE_MS, learnt, smoothing);
        }
        if (model.silenceLevel() > 0 && volume.settled(smoothing)) {
            // back after a silence, the recent level rests on enough minutes again to say what the key makes now
            model.forgetSilenceLevel();
        }
        // the busiest minute and the excess of the hour, unclipped: a job's burst recurring is its normal
        model.countBurst((long) count, background, alertedSpike > 0);
        double level = model.streak(minuteStart, count, high, low, alertedSpike, learning.adaptMinutes());
        if (high && model.spikeStreakAlerted() > 0 && learning.burstMemoryMinutes() > 0) {
            // a minute of an alerted streak: the key may return to this level within hours, and that is not new
            model.rememberBurst(count / Math.max(learning.factor(), 1));
        } else {
            model.fadeBurst(1, learning.burstMemoryMinutes());
        }
        if (Double.isNaN(level)) {
            model.fadePauseLevel(volume.mean());
            return;
        }
        // a changepoint: the streak is the key's new normal
        double before = volume.mean();
        volume = new VolumeBaseline(volume.currentMinuteStart(), level, POISSON_MAD_FACTOR * Math.sqrt(level),
                volume.observedMinutes());
        if (level < before) {
            // a pause (a deploy, a nightly stop) is the new normal for drops, but the key's usual return must not be a
            // spike: the level before it is still expected for spikes, fading over a day; the anchor stays too. (A
            // level adapted to after an alerted streak is kept too: without the pause it would be the normal anyway;
            // the streak's alert stays open until someone resolves it.)
            model.pausedFrom(before);
        } else {
            model.moveAnchor(level);
        }
    }

    /** Whether a minute without requests is improbably low for the key (its drop streak goes on). */
    private boolean quietIsImprobable(long minuteStart, VolumeLearning learning) {
        double expected = dropExpectedVolume(minuteStart);
        if (!(expected >= learning.dropMinExpected())) {
            return false;
        }
        double k = dispersion();
        // P(X = 0): e^-mu for Poisson, (1 + k mu)^(-1/k) for a negative binomial
        double zero = k < 1e-6 ? Math.exp(-expected) : Math.pow(1 + k * expected, -1 / k);
        return zero <= learning.probability();
    }

    /** The standard deviation of a minute's count around {@code mu} under the key's count model. */
    public double sigma(double mu) {
        return Math.sqrt(Math.max(0, mu) + dispersion() * mu * mu);
    }

    /**
     * The key's dispersion {@code k} (variance {@code mu + k mu^2}): the larger of the one learnt over about a day
     * and the one of its recent deviation (a deviation above Poisson noise means the recent level is less sure).
     */
    public double dispersion() {
        double recent = recentVolume();
        double recentK = 0;
        if (volume != null && recent >= 1) {
            double sd = volume.deviation() / POISSON_MAD_FACTOR;
            recentK = Math.max(0, sd * sd - recent) / (recent * recent);
        }
        return Math.min(VolumeModel.MAX_DISPERSION, Math.max(model.dispersion(), recentK));
    }

    /** The slow part of the volume profile: rhythm, dispersion, streaks. */
    public VolumeModel volumeModel() {
        return model;
    }

    static double clipCap(double expected, double deviation) {
        return Math.max(Math.max(CLIP_FACTOR * expected, expected + CLIP_DEVIATIONS * deviation), 1.0);
    }

    public static int hourOfDay(long epochMs) {
        return VolumeModel.hourOfDay(epochMs);
    }

    /** The recent average of requests per minute. */
    public double recentVolume() {
        return volume == null ? 0 : volume.mean();
    }

    /** The level of the UTC hour of {@code minuteStart} (requests per minute), or NaN while that hour is cold. */
    public double hourVolume(long minuteStart) {
        return model.hourLevel(minuteStart);
    }

    /** What the rhythm (hour of day x day of week) expects of the minute, or NaN while its hour is cold. */
    public double seasonalVolume(long minuteStart) {
        return model.seasonal(minuteStart);
    }

    /**
     * What a minute starting at {@code minuteStart} is expected to hold, for spikes: max(recent, rhythm once warm,
     * the fading level before a pause), so neither a usual peak hour, a recent rise nor a return from a pause is a
     * spike.
     */
    public double expectedVolume(long minuteStart) {
        return Math.max(expectedVolumeWithoutBurst(minuteStart), model.pastBurstLevel());
    }

    /**
     * {@link #expectedVolume} without the memory of alerted bursts: what a minute that looks like a leaked key (many
     * IPs and countries) is judged against, since an earlier harmless burst (one client) says nothing about it.
     */
    public double expectedVolumeWithoutBurst(long minuteStart) {
        double seasonal = seasonalAhead(minuteStart);
        double recent = Math.max(Math.max(recentVolume(), model.pauseLevel()), silenceLevel(minuteStart));
        return Double.isNaN(seasonal) ? recent : Math.max(recent, seasonal);
    }

    /**
     * The level the key had before a silence of more than a day, while its recent level warms up again and only where
     * the rhythm does not know the minute's hour (where it does, the rhythm judges the return, as it would a warm
     * key's); 0 otherwise.
     */
    public double silenceLevel(long minuteStart) {
        return Double.isNaN(seasonalVolume(minuteStart)) ? model.silenceLevel() : 0;
    }

    /**
     * The slow anchor of a minute, for spikes: the larger of the hours-long EWMA ({@link VolumeModel#anchor}; the
     * recent level before it has any) and the rhythm once warm. A ramp that drags the recent level along is still
     * judged against it.
     */
    public double anchorVolume(long minuteStart) {
        double slow = model.anchor();
        if (Double.isNaN(slow)) {
            slow = recentVolume();
        }
        slow = Math.max(Math.max(slow, model.pauseLevel()), model.pastBurstLevel());
        slow = Math.max(slow, silenceLevel(minuteStart));
        slow = Math.max(slow, HOUR_HINT_SHARE * hourHintAhead(minuteStart));
        double seasonal = seasonalAhead(minuteStart);
        return Double.isNaN(seasonal) ? slow : Math.max(slow, seasonal);
    }

    /**
     * The level the key reached at this hour (or the one {@value #RHYTHM_LOOKAHEAD_MINUTES} minutes on) on the days
     * seen so far, before the rhythm knows the hour; 0 for an hour never seen. Two thirds of it count in the slow
     * anchor ({@link #HOUR_HINT_SHARE}): a key's usual morning rise to about yesterday's level is no ramp, while a rise
     * to twice that hour's level or more (a leak hiding in a slow climb) is still judged against it.
     */
    private double hourHintAhead(long minuteStart) {
        double hint = ahead(model::hourHint, minuteStart);
        return Double.isNaN(hint) ? 0 : hint;
    }

    /**
     * For spikes, the rhythm's level of the minute or of the one {@value #RHYTHM_LOOKAHEAD_MINUTES} minutes on,
     * whichever is larger (NaN while both are cold): a usual ramp into a peak hour starts a few minutes before it, as
     * steep as an attacker's ramp, and is no spike.
     */
    private double seasonalAhead(long minuteStart) {
        return ahead(model::seasonal, minuteStart);
    }

    /**
     * The larger of {@code level} at the minute and {@value #RHYTHM_LOOKAHEAD_MINUTES} minutes on (a usual rise into
     * the next hour starts a few minutes before it), ignoring NaN; NaN when both are.
     */
    private static double ahead(LongToDoubleFunction level, long minuteStart) {
        double now = level.applyAsDouble(minuteStart);
        double ahead = level.applyAsDouble(minuteStart + RHYTHM_LOOKAHEAD_MINUTES * MINUTE_MS);
        if (Double.isNaN(now)) {
            return ahead;
        }
        return Double.isNaN(ahead) ? now : Math.max(now, ahead);
    }

    /** The hour's recurring peak ({@link VolumeModel#recurringPeak}), or NaN. */
    public double recurringPeak(long minuteStart) {
        return model.recurringPeak(minuteStart);
    }

    /**
     * The count up to which the hour's recurring peak allows the minute ({@link VolumeModel#peakAllowance}, over
     * {@link #burstBackground}), or NaN.
     */
    public double peakAllowance(long minuteStart) {
        return model.peakAllowance(minuteStart, burstBackground(minuteStart));
    }

    /**
     * What the key makes around a job's burst: its recent level or its hour's rhythm, whichever is larger (not the
     * levels kept from before a pause or a silence, nor the memory of alerted bursts, which a young job's key has from
     * its first minutes and which would hide what the job adds).
     */
    double burstBackground(long minuteStart) {
        double seasonal = seasonalVolume(minuteStart);
        return Double.isNaN(seasonal) ? recentVolume() : Math.max(recentVolume(), seasonal);
    }

    /** What a minute is expected to hold, for drops: min(recent, rhythm once warm), so a usual quiet night is none. */
    public double dropExpectedVolume(long minuteStart) {
        double seasonal = seasonalVolume(minuteStart);
        return Double.isNaN(seasonal) ? recentVolume() : Math.min(recentVolume(), seasonal);
    }

    /** The mean absolute deviation of the recent level. */
    public double expectedDeviation(long minuteStart) {
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
     * Version 3: only what is set, variable-length counts: the recent level, the volume model
     * ({@link VolumeModel#writeTo}: hour-of-day levels and day-of-week factors learnt over days and weeks), the IP
     * average, the times, the countries, then the window marks as pairs of rule code and window start
     * ({@link WindowMarks}). Version 2 had hour-of-day buckets of minutes where the model is, and marks by position in
     * {@link WindowMarks#BY_POSITION}. A key seen for a few minutes takes about a tenth of version 1's fixed 24 hours
     * and six marks.
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
        model.writeTo(out);
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

    /**
     * Reads version 2, 3, 4 or 5 ({@link #writeTo}; 4 and 5 are 3's layout, with more optional parts): version 2's hour buckets become the model's hour
     * levels. A flag bit this build does not know is a part it cannot skip: refused, never misread.
     */
    static KeyProfile readFrom(CompactReader in, int version) {
        int flags = in.readUnsignedByte();
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new SerializationException("key profile has parts this build does not know (flags " + flags + ")");
        }
        VolumeBaseline volume = null;
        if ((flags & HAS_VOLUME) != 0) {
            volume = new VolumeBaseline(in.readSignedVarLong(), in.readDouble(), in.readDouble(), in.readVarInt());
        }
        VolumeModel model;
        if (version >= 3) {
            model = VolumeModel.readFrom(in);
        } else {
            // version 2: hour-of-day buckets of minutes (mean, deviation, minutes)
            float[] hourMean = new float[VolumeModel.HOURS];
            int[] hourMinutes = new int[VolumeModel.HOURS];
            long hours = in.readVarLong();
            for (int h = 0; h < VolumeModel.HOURS; h++) {
                if ((hours & (1L << h)) != 0) {
                    hourMean[h] = in.readFloat();
                    in.readFloat();
                    hourMinutes[h] = in.readVarInt();
                }
            }
            model = VolumeModel.fromHourBuckets(hourMean, hourMinutes);
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
        KeyProfile profile = new KeyProfile(model, countries, marks);
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
        float[] hourMean = new float[VolumeModel.HOURS];
        int[] hourMinutes = new int[VolumeModel.HOURS];
        for (int h = 0; h < VolumeModel.HOURS; h++) {
            hourMean[h] = in.readFloat();
            in.readFloat();
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
        KeyProfile profile = new KeyProfile(VolumeModel.fromHourBuckets(hourMean, hourMinutes), countries, marks);
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
