package io.keywatch.streams.aggregate;

import io.keywatch.events.AlertRule;
import io.keywatch.events.AuthResult;
import io.keywatch.events.Severity;
import io.keywatch.events.UsageEvent;
import java.io.DataInput;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One key's usage in one minute, as kept in the window store: counts, capped value counts for evidence, the key's
 * volume baseline as it stood when the minute opened, and which alerts this minute has already raised.
 *
 * <p>Mutable on purpose: the processor reads it, adds one event and writes it back, once per event. Callers outside
 * the topology see the immutable {@link MinuteUsage} instead.
 */
public final class MinuteAggregate {

    /** Distinct client IPs counted exactly per key and minute; beyond this the count saturates and is flagged. */
    public static final int MAX_CLIENT_IPS = 256;
    public static final int MAX_COUNTRIES = 64;
    public static final int MAX_PATHS = 32;
    public static final int MAX_SCOPES = 16;

    // arrays in this class and its stored form are indexed by the enums' stored codes, never their ordinals
    private static final AuthResult[] AUTH_RESULTS = AuthResult.values();
    // the compact format's flag bits, and the defaults of its six doubles (baseline mean and deviation, recent and
    // hour means, IP baseline mean and deviation), which it leaves out
    private static final int HAS_STREAK_START = 1;
    private static final int STREAK_ALERTED = 2;
    // in the volume judgement's critical-count flags (format 5)
    private static final int BURST_LIFTED = 2;
    // an optional part of format 5 (older values never set the bit, and read as before)
    private static final int SILENCE_LEVEL = 4;
    // another one (the hour's recurring peak)
    private static final int RECURRING_PEAK = 8;
    private static final double[] DOUBLE_DEFAULTS = {0, 0, 0, Double.NaN, 0, 0};
    private static final double[] JUDGEMENT_DEFAULTS =
            {Double.NaN, Double.NaN, 0, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN};

    long requests;
    long errors;
    final long[] authResults;
    final CappedCounts clientIps;
    final CappedCounts countries;
    final CappedCounts paths;
    // baseline snapshot: taken when the minute opens, so the minute itself never pollutes what it is compared with
    int baselineMinutes = -1;
    double baselineMean;
    double baselineDeviation;
    double recentMean;
    double hourMean = Double.NaN;
    // VOLUME_SPIKE / VOLUME_DROP: what the rhythm expected, the count model, and the critical counts found at open
    double seasonalMean = Double.NaN;
    double dayFactor = Double.NaN;
    double dropMean;
    double dispersion;
    double anchorMean = Double.NaN;
    long spikeCritical = Long.MAX_VALUE;
    boolean spikeCriticalExact;
    int spikeStreakMinutes;
    long spikeStreakStart = Long.MIN_VALUE;
    int spikeStreakAlerted;
    // the counts of the minutes the streak first and last raised a VOLUME_SPIKE in (NaN: it raised none)
    double spikeStreakFirstLevel = Double.NaN;
    double spikeStreakLevel = Double.NaN;
    // the fading level before a pause, when it is what the spike expectation came from (NaN: it is not)
    double pauseMean = Double.NaN;
    // the expectation without the memory of alerted bursts, when that memory lifted it (NaN: it did not)
    double burstFreeMean = Double.NaN;
    // the level the key had before a silence of more than a day, while it warms up again (NaN: none)
    double silenceMean = Double.NaN;
    // the recurring peak of the minute's hour (a periodic job's burst), when the rhythm knows one (NaN: none), and the
    // count up to which it allows this minute (NaN: not at all)
    double recurringPeak = Double.NaN;
    double peakAllowance = Double.NaN;
    int ipBaselineMinutes;
    double ipBaselineMean;
    double ipBaselineDeviation;
    int rateStreakMinutes;
    long rateStreakStart = Long.MIN_VALUE;
    boolean rateStreakAlerted;
    // scope violations: the scopes asked for, and how many of those calls the service accepted anyway
    final CappedCounts violatedScopes;
    long scopeViolationsAccepted;
    // per rule code: 0 = not alerted, otherwise the severity code + 1 of the highest severity emitted this minute
    final byte[] alerted;
    // per rule code (one bit each): the rule (with an hour or day window) has already been looked at this minute
    long handled;

    public MinuteAggregate() {
        this(new long[AuthResult.codeCount()], new CappedCounts(MAX_CLIENT_IPS), new CappedCounts(MAX_COUNTRIES),
                new CappedCounts(MAX_PATHS), new CappedCounts(MAX_SCOPES), new byte[AlertRule.codeCount()]);
    }

    private MinuteAggregate(long[] authResults, CappedCounts clientIps, CappedCounts countries, CappedCounts paths,
                            CappedCounts violatedScopes, byte[] alerted) {
        this.authResults = authResults;
        this.clientIps = clientIps;
        this.countries = countries;
        this.paths = paths;
        this.violatedScopes = violatedScopes;
        this.alerted = alerted;
    }

    public void add(UsageEvent event) {
        requests++;
        if (event.status() != null && event.status() >= 500) {
            errors++;
        }
        authResults[event.authResult().code()]++;
        clientIps.add(event.clientIp());
        countries.add(event.country());
        paths.add(event.path());
    }

    public void setBaseline(VolumeBaseline baseline) {
        baselineMinutes = baseline.observedMinutes();
        baselineMean = baseline.mean();
        baselineDeviation = baseline.deviation();
        recentMean = baseline.mean();
        hourMean = Double.NaN;
    }

    /** Snapshots what the key's profile expects of the minute starting at {@code windowStart}. */
    public void setBaseline(KeyProfile profile, long windowStart) {
        baselineMinutes = profile.observedMinutes();
        baselineMean = profile.expectedVolume(windowStart);
        baselineDeviation = profile.expectedDeviation(windowStart);
        recentMean = profile.recentVolume();
        hourMean = profile.hourVolume(windowStart);
        seasonalMean = profile.seasonalVolume(windowStart);
        dayFactor = profile.volumeModel().dayFactor(windowStart);
        dropMean = profile.dropExpectedVolume(windowStart);
        dispersion = profile.dispersion();
        // only an anchor below the expectation can change the judgement (most minutes: not stored at all)
        double anchor = profile.anchorVolume(windowStart);
        anchorMean = anchor < baselineMean ? anchor : Double.NaN;
        VolumeModel model = profile.volumeModel();
        spikeStreakMinutes = model.spikeStreakMinutes();
        spikeStreakStart = spikeStreakMinutes > 0 ? model.spikeStreakStart() : Long.MIN_VALUE;
        spikeStreakAlerted = spikeStreakMinutes > 0 ? model.spikeStreakAlerted() : 0;
        spikeStreakFirstLevel = model.spikeStreakFirstLevel() > 0 ? model.spikeStreakFirstLevel() : Double.NaN;
        spikeStreakLevel = model.spikeStreakLevel() > 0 ? model.spikeStreakLevel() : Double.NaN;
        double pause = model.pauseLevel();
        pauseMean = pause > 0 && pause >= baselineMean ? pause : Double.NaN;
        double burstFree = profile.expectedVolumeWithoutBurst(windowStart);
        burstFreeMean = burstFree < baselineMean ? burstFree : Double.NaN;
        double silence = profile.silenceLevel(windowStart);
        silenceMean = silence > 0 ? silence : Double.NaN;
        peakAllowance = profile.peakAllowance(windowStart);
        recurringPeak = Double.isNaN(peakAllowance) ? Double.NaN : profile.recurringPeak(windowStart);
        ipBaselineMinutes = profile.ipMinutes();
        ipBaselineMean = profile.ipMean();
        ipBaselineDeviation = profile.ipDeviation();
        rateStreakMinutes = profile.rateStreakMinutes();
        rateStreakStart = profile.rateStreakStart();
        rateStreakAlerted = rateStreakMinutes > 0 && profile.rateStreakAlerted(rateStreakStart);
    }

    /** Counts a call that needed a scope the key does not hold (or that the service denied for its scope). */
    public void addScopeViolation(String scope, boolean accepted) {
        violatedScopes.add(scope == null ? "(none)" : scope);
        if (accepted) {
            scopeViolationsAccepted++;
        }
    }

    /**
     * Requests made with the right secret: all but INVALID_SECRET ones. Volume, its baseline and the rate limit
     * count these, so a brute-force burst is AUTH_FAILURE_BURST's alone and does not inflate the key's normal.
     */
    public long volume() {
        return requests - authFailures();
    }

    public long requests() {
        return requests;
    }

    public long errors() {
        return errors;
    }

    public long authFailures() {
        return authResults[AuthResult.INVALID_SECRET.code()];
    }

    public long authResultCount(AuthResult result) {
        return authResults[result.code()];
    }

    public CappedCounts clientIps() {
        return clientIps;
    }

    public CappedCounts countries() {
        return countries;
    }

    public CappedCounts paths() {
        return paths;
    }

    /** True when the key's baseline was known when this minute opened (false for a minute first seen late). */
    public boolean hasBaseline() {
        return baselineMinutes >= 0;
    }

    public int baselineMinutes() {
        return Math.max(baselineMinutes, 0);
    }

    public double baselineMean() {
        return baselineMean;
    }

    /** The expectation without the memory of alerted bursts, or NaN when that memory did not lift it. */
    public double burstFreeMean() {
        return burstFreeMean;
    }

    /**
     * The recurring peak of the minute's hour (requests in its busiest minute there, a periodic job's burst) when the
     * minute opened and it allowed the minute anything, or NaN.
     */
    public double recurringPeak() {
        return recurringPeak;
    }

    /**
     * The count up to which the hour's recurring peak allows the minute ({@code VolumeModel#peakAllowance}: twice the
     * peak, within twice the hour's recurring requests), or NaN: a spike must be above it.
     */
    public double peakAllowance() {
        return peakAllowance;
    }

    /** Whether the memory of alerted bursts or a recurring peak lifted the bar of this minute. */
    public boolean liftedByBursts() {
        return !Double.isNaN(burstFreeMean) || !Double.isNaN(peakAllowance);
    }

    /**
     * Judges the rest of the minute without what one client's bursts taught (a minute that looks like a leaked key):
     * the expectation drops to {@link #burstFreeMean()}, the slow anchor is kept only below it, and the recurring peak
     * is none. The caller finds the new critical count.
     */
    public void forgetBurstLift() {
        recurringPeak = Double.NaN;
        peakAllowance = Double.NaN;
        if (Double.isNaN(burstFreeMean)) {
            return;
        }
        baselineMean = burstFreeMean;
        burstFreeMean = Double.NaN;
        if (!(anchorMean < baselineMean)) {
            anchorMean = Double.NaN;
        }
    }

    public double baselineDeviation() {
        return baselineDeviation;
    }

    /** The key's recent average when the minute opened (the expected volume is the larger of it and the hour's). */
    public double recentMean() {
        return recentMean;
    }

    /** The average of the minute's UTC hour of day when the minute opened, or NaN while that hour was cold. */
    public double hourMean() {
        return hourMean;
    }

    /** What the rhythm (hour of day x day of week) expected of the minute when it opened, or NaN while cold. */
    public double seasonalMean() {
        return seasonalMean;
    }

    /** The day of week's factor in {@link #seasonalMean()}, or NaN while cold (then it is 1). */
    public double dayFactor() {
        return dayFactor;
    }

    /** What the minute was expected to hold, for drops (the smaller of recent and rhythm). */
    public double dropMean() {
        return dropMean;
    }

    /** The key's dispersion k when the minute opened: variance {@code mu + k mu^2}. */
    public double dispersion() {
        return dispersion;
    }

    /**
     * The key's slow anchor when the minute opened (the hours-long level, or the rhythm once warm), NaN when unknown
     * or not below the expectation:
     * a minute improbable against it and at least factor x it is a spike even when the recent level was ramped up.
     */
    public double anchorMean() {
        return anchorMean;
    }

    /**
     * The count at which this minute is a spike ({@link Long#MAX_VALUE} while that cannot be judged): when the minute
     * opens, the effect-size bound (factor x expected, minimum requests); once the count reaches it, the exact
     * critical count of the tail ({@link #spikeCriticalExact()}). Most minutes never reach the bound, so most never pay
     * for the tail.
     */
    public long spikeCritical() {
        return spikeCritical;
    }

    public boolean spikeCriticalExact() {
        return spikeCriticalExact;
    }

    /** Set by the volume judgement: the per-event check is then a comparison. */
    public void setSpikeCritical(long spikeCritical, boolean exact) {
        this.spikeCritical = spikeCritical;
        this.spikeCriticalExact = exact;
    }

    /** Improbably high completed minutes in a row right before this one. */
    public int spikeStreakMinutes() {
        return spikeStreakMinutes;
    }

    public long spikeStreakStart() {
        return spikeStreakStart;
    }

    /** The highest VOLUME_SPIKE severity the streak before this minute raised, or null. */
    public Severity spikeStreakAlerted() {
        return spikeStreakAlerted == 0 ? null : Severity.fromCode(spikeStreakAlerted - 1);
    }

    /** The count of the minute the streak before this one first raised a VOLUME_SPIKE in, or NaN. */
    public double spikeStreakFirstLevel() {
        return spikeStreakFirstLevel;
    }

    /** The count of the minute the streak before this one last raised (or re-raised) a VOLUME_SPIKE in, or NaN. */
    public double spikeStreakLevel() {
        return spikeStreakLevel;
    }

    /**
     * The level the key had before a silence of more than a day, while it warms up again and the rhythm does not know
     * the minute's hour (its return is judged against it), else NaN.
     */
    public double silenceMean() {
        return silenceMean;
    }

    /** The fading level before a pause when the expectation came from it (a busy key's return), else NaN. */
    public double pauseMean() {
        return pauseMean;
    }

    public int ipBaselineMinutes() {
        return ipBaselineMinutes;
    }

    public double ipBaselineMean() {
        return ipBaselineMean;
    }

    public double ipBaselineDeviation() {
        return ipBaselineDeviation;
    }

    /** Consecutive completed minutes above the key's rate limit right before this one. */
    public int rateStreakMinutes() {
        return rateStreakMinutes;
    }

    public long rateStreakStart() {
        return rateStreakStart;
    }

    public boolean rateStreakAlerted() {
        return rateStreakAlerted;
    }

    public void markRateStreakAlerted() {
        rateStreakAlerted = true;
    }

    public CappedCounts violatedScopes() {
        return violatedScopes;
    }

    public long scopeViolations() {
        return violatedScopes.total();
    }

    public long scopeViolationsAccepted() {
        return scopeViolationsAccepted;
    }

    /** True when the (hour- or day-windowed) rule was already looked at in this minute. */
    public boolean handled(AlertRule rule) {
        return (handled & (1L << rule.code())) != 0;
    }

    /** True when the (hour- or day-windowed) rule was not yet looked at in this minute; marks it so. */
    public boolean handleOnce(AlertRule rule) {
        long bit = 1L << rule.code();
        if ((handled & bit) != 0) {
            return false;
        }
        handled |= bit;
        return true;
    }

    /** The highest severity already emitted for this rule in this minute, or null. */
    public Severity alerted(AlertRule rule) {
        int mark = alerted[rule.code()] & 0xff;
        // a severity code this build does not know (written by a newer one) reads as not alerted: at worst the
        // minute alerts once more, never stays silent
        return mark == 0 ? null : Severity.fromCode(mark - 1);
    }

    public void markAlerted(AlertRule rule, Severity severity) {
        alerted[rule.code()] = (byte) (severity.code() + 1);
    }

    /**
     * A copy of a minute's alert marks (severities raised, rules handled, rate streak alerted), so that the marks an
     * event's detection set can be taken back when that detection fails. Reusable: one per processor.
     */
    public static final class Marks {
        private final byte[] alerted = new byte[AlertRule.codeCount()];
        private long handled;
        private boolean rateStreakAlerted;
    }

    public void saveMarks(Marks into) {
        System.arraycopy(alerted, 0, into.alerted, 0, alerted.length);
        into.handled = handled;
        into.rateStreakAlerted = rateStreakAlerted;
    }

    public void restoreMarks(Marks from) {
        System.arraycopy(from.alerted, 0, alerted, 0, alerted.length);
        handled = from.handled;
        rateStreakAlerted = from.rateStreakAlerted;
    }

    /** Counts per auth result, only those that occurred, in enum order. */
    public Map<String, Long> authResultCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (AuthResult result : AUTH_RESULTS) {
            long count = authResults[result.code()];
            if (count > 0) {
                counts.put(result.name(), count);
            }
        }
        return counts;
    }

    /**
     * Version 4: version 3 followed by the volume judgement (rhythm, dispersion, critical count, spike streak).
     * Version 3: variable-length counts, and only the doubles and alert marks that differ from their defaults.
     */
    void writeTo(CompactWriter out) {
        out.writeVarLong(requests);
        out.writeVarLong(errors);
        out.writeByte(authResults.length);
        for (long count : authResults) {
            out.writeVarLong(count);
        }
        clientIps.writeTo(out);
        countries.writeTo(out);
        paths.writeTo(out);
        violatedScopes.writeTo(out);
        out.writeSignedVarLong(baselineMinutes);
        out.writeVarLong(ipBaselineMinutes);
        out.writeVarLong(rateStreakMinutes);
        out.writeVarLong(scopeViolationsAccepted);
        out.writeVarLong(handled);
        boolean hasStreakStart = rateStreakStart != Long.MIN_VALUE;
        out.writeByte((hasStreakStart ? HAS_STREAK_START : 0) | (rateStreakAlerted ? STREAK_ALERTED : 0));
        if (hasStreakStart) {
            out.writeSignedVarLong(rateStreakStart);
        }
        double[] doubles = {baselineMean, baselineDeviation, recentMean, hourMean, ipBaselineMean,
                ipBaselineDeviation};
        int present = 0;
        for (int i = 0; i < doubles.length; i++) {
            if (Double.doubleToRawLongBits(doubles[i]) != Double.doubleToRawLongBits(DOUBLE_DEFAULTS[i])) {
                present |= 1 << i;
            }
        }
        out.writeByte(present);
        for (int i = 0; i < doubles.length; i++) {
            if ((present & (1 << i)) != 0) {
                out.writeDouble(doubles[i]);
            }
        }
        out.writeByte(alerted.length);
        long marked = 0;
        for (int i = 0; i < alerted.length; i++) {
            if (alerted[i] != 0) {
                marked |= 1L << i;
            }
        }
        out.writeVarLong(marked);
        for (byte mark : alerted) {
            if (mark != 0) {
                out.writeByte(mark);
            }
        }
        writeVolumeJudgement(out);
    }

    private void writeVolumeJudgement(CompactWriter out) {
        // only the values that differ from their defaults (NaN, NaN, 0, 0, NaN): most minutes of most keys have few
        double[] values = {seasonalMean, dayFactor, dropMean, dispersion, anchorMean, spikeStreakFirstLevel,
            spikeStreakLevel, pauseMean};
        int present = 0;
        for (int i = 0; i < values.length; i++) {
            if (Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(JUDGEMENT_DEFAULTS[i])) {
                present |= 1 << i;
            }
        }
        out.writeByte(present);
        for (int i = 0; i < values.length; i++) {
            if ((present & (1 << i)) != 0) {
                out.writeDouble(values[i]);
            }
        }
        out.writeVarLong(spikeCritical == Long.MAX_VALUE ? 0 : spikeCritical + 1);
        // format 5: bit 2 says the expectation without the burst memory follows the streak (only when it differs)
        boolean burstLifted = !Double.isNaN(burstFreeMean);
        boolean silence = !Double.isNaN(silenceMean);
        boolean peak = !Double.isNaN(peakAllowance);
        out.writeByte((spikeCriticalExact ? 1 : 0) | (burstLifted ? BURST_LIFTED : 0) | (silence ? SILENCE_LEVEL : 0)
                | (peak ? RECURRING_PEAK : 0));
        out.writeVarLong(spikeStreakMinutes);
        if (spikeStreakMinutes > 0) {
            out.writeSignedVarLong(spikeStreakStart);
            out.writeByte(spikeStreakAlerted);
        }
        if (burstLifted) {
            out.writeDouble(burstFreeMean);
        }
        if (silence) {
            out.writeDouble(silenceMean);
        }
        if (peak) {
            out.writeDouble(recurringPeak);
            out.writeDouble(peakAllowance);
        }
    }

    private void readVolumeJudgement(CompactReader in, int version) {
        int present = in.readUnsignedByte();
        double[] values = JUDGEMENT_DEFAULTS.clone();
        for (int i = 0; i < values.length; i++) {
            if ((present & (1 << i)) != 0) {
                values[i] = in.readDouble();
            }
        }
        seasonalMean = values[0];
        dayFactor = values[1];
        dropMean = values[2];
        dispersion = values[3];
        anchorMean = values[4];
        spikeStreakFirstLevel = values[5];
        spikeStreakLevel = values[6];
        pauseMean = values[7];
        long high = in.readVarLong();
        spikeCritical = high == 0 ? Long.MAX_VALUE : high - 1;
        int critical = in.readUnsignedByte();
        spikeCriticalExact = (critical & 1) != 0;
        spikeStreakMinutes = in.readVarInt();
        if (spikeStreakMinutes > 0) {
            spikeStreakStart = in.readSignedVarLong();
            spikeStreakAlerted = in.readUnsignedByte();
        }
        if (version >= 5 && (critical & BURST_LIFTED) != 0) {
            burstFreeMean = in.readDouble();
        }
        if (version >= 5 && (critical & SILENCE_LEVEL) != 0) {
            double silence = in.readDouble();
            silenceMean = silence > 0 && Double.isFinite(silence) ? silence : Double.NaN;
        }
        if (version >= 5 && (critical & RECURRING_PEAK) != 0) {
            double peak = in.readDouble();
            double allowance = in.readDouble();
            boolean valid = peak > 0 && Double.isFinite(peak) && allowance > 0 && Double.isFinite(allowance);
            recurringPeak = valid ? peak : Double.NaN;
            peakAllowance = valid ? allowance : Double.NaN;
        }
    }

    static MinuteAggregate readFrom(CompactReader in, int version) {
        long requests = in.readVarLong();
        long errors = in.readVarLong();
        long[] authResults = new long[AuthResult.codeCount()];
        int authCount = in.readUnsignedByte();
        for (int i = 0; i < authCount; i++) {
            long count = in.readVarLong();
            if (i < authResults.length) {
                authResults[i] = count;
            }
        }
        CappedCounts clientIps = CappedCounts.readFrom(in, MAX_CLIENT_IPS);
        CappedCounts countries = CappedCounts.readFrom(in, MAX_COUNTRIES);
        CappedCounts paths = CappedCounts.readFrom(in, MAX_PATHS);
        CappedCounts scopes = CappedCounts.readFrom(in, MAX_SCOPES);
        byte[] alerted = new byte[AlertRule.codeCount()];
        MinuteAggregate aggregate = new MinuteAggregate(authResults, clientIps, countries, paths, scopes, alerted);
        aggregate.requests = requests;
        aggregate.errors = errors;
        aggregate.baselineMinutes = (int) in.readSignedVarLong();
        aggregate.ipBaselineMinutes = in.readVarInt();
        aggregate.rateStreakMinutes = in.readVarInt();
        aggregate.scopeViolationsAccepted = in.readVarLong();
        aggregate.handled = in.readVarLong();
        int flags = in.readUnsignedByte();
        aggregate.rateStreakAlerted = (flags & STREAK_ALERTED) != 0;
        aggregate.rateStreakStart = (flags & HAS_STREAK_START) != 0 ? in.readSignedVarLong() : Long.MIN_VALUE;
        int present = in.readUnsignedByte();
        double[] doubles = DOUBLE_DEFAULTS.clone();
        for (int i = 0; i < doubles.length; i++) {
            if ((present & (1 << i)) != 0) {
                doubles[i] = in.readDouble();
            }
        }
        aggregate.baselineMean = doubles[0];
        aggregate.baselineDeviation = doubles[1];
        aggregate.recentMean = doubles[2];
        aggregate.hourMean = doubles[3];
        aggregate.ipBaselineMean = doubles[4];
        aggregate.ipBaselineDeviation = doubles[5];
        int ruleCount = in.readUnsignedByte();
        long marked = in.readVarLong();
        for (int i = 0; i < ruleCount; i++) {
            if ((marked & (1L << i)) != 0) {
                byte mark = (byte) in.readUnsignedByte();
                if (i < alerted.length) {
                    alerted[i] = mark;
                }
            }
        }
        if (version >= 4) {
            aggregate.readVolumeJudgement(in, version);
        }
        return aggregate;
    }

    /** Versions 1 and 2 (fixed-width fields), still read after an upgrade. */
    static MinuteAggregate readLegacy(DataInput in, int version) throws IOException {
        long requests = in.readLong();
        long errors = in.readLong();
        // sized by the current enums; a value written by an older build with fewer constants still reads
        long[] authResults = new long[AuthResult.codeCount()];
        int authCount = in.readUnsignedByte();
        for (int i = 0; i < authCount; i++) {
            long count = in.readLong();
            if (i < authResults.length) {
                authResults[i] = count;
            }
        }
        CappedCounts clientIps = CappedCounts.readLegacy(in, MAX_CLIENT_IPS);
        CappedCounts countries = CappedCounts.readLegacy(in, MAX_COUNTRIES);
        CappedCounts paths = CappedCounts.readLegacy(in, MAX_PATHS);
        int baselineMinutes = in.readInt();
        double baselineMean = in.readDouble();
        double baselineDeviation = in.readDouble();
        byte[] alerted = new byte[AlertRule.codeCount()];
        int ruleCount = in.readUnsignedByte();
        for (int i = 0; i < ruleCount; i++) {
            byte mark = in.readByte();
            if (i < alerted.length) {
                alerted[i] = mark;
            }
        }
        CappedCounts scopes = new CappedCounts(MAX_SCOPES);
        MinuteAggregate aggregate;
        if (version >= 2) {
            double recentMean = in.readDouble();
            double hourMean = in.readDouble();
            int ipMinutes = in.readInt();
            double ipMean = in.readDouble();
            double ipDeviation = in.readDouble();
            int streak = in.readInt();
            long streakStart = in.readLong();
            boolean streakAlerted = in.readBoolean();
            scopes = CappedCounts.readLegacy(in, MAX_SCOPES);
            aggregate = new MinuteAggregate(authResults, clientIps, countries, paths, scopes, alerted);
            aggregate.recentMean = recentMean;
            aggregate.hourMean = hourMean;
            aggregate.ipBaselineMinutes = ipMinutes;
            aggregate.ipBaselineMean = ipMean;
            aggregate.ipBaselineDeviation = ipDeviation;
            aggregate.rateStreakMinutes = streak;
            aggregate.rateStreakStart = streakStart;
            aggregate.rateStreakAlerted = streakAlerted;
            aggregate.scopeViolationsAccepted = in.readLong();
            aggregate.handled = in.readLong();
        } else {
            aggregate = new MinuteAggregate(authResults, clientIps, countries, paths, scopes, alerted);
            aggregate.recentMean = baselineMean;
        }
        aggregate.requests = requests;
        aggregate.errors = errors;
        aggregate.baselineMinutes = baselineMinutes;
        aggregate.baselineMean = baselineMean;
        aggregate.baselineDeviation = baselineDeviation;
        return aggregate;
    }
}
