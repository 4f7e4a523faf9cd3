package io.keywatch.streams.detect;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.CountTail;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.MinuteAggregate;
import io.keywatch.streams.aggregate.VolumeModel;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VOLUME_SPIKE: a key's requests in the current minute (INVALID_SECRET ones excluded: brute force is
 * AUTH_FAILURE_BURST's) improbably many for the key. The expected count is the larger of the key's recent level and,
 * once learnt, its rhythm (hour of day x day of week, see {@link VolumeModel}); the count is judged with a negative
 * binomial whose dispersion is the key's own (Poisson when it varies no more than that). A minute spikes when its count
 * reaches the critical count found when it opened ({@link VolumeJudge}): {@code P(X >= x) <= volume.probability}, at
 * least {@code volume.factor} x expected and at least {@code volume.minRequests}; or the same against the key's slow
 * anchor once the expectation has risen to twice it (a ramp kept just below the threshold). So 5 -> 60 requests a
 * minute is as clear as 500 -> 6,000. The floor is the paging knob, not a blind spot: at or above {@code volume.floor}
 * requests the alert is HIGH (CRITICAL when it also comes from many IPs in several countries: a leaked key); below it,
 * {@code volume.belowFloorSeverity} (MEDIUM by default, -1 for none). Window: the streak of anomalous minutes, alerted
 * once and again when the severity rises or the count reaches another {@code volume.factor} x the count the streak
 * last alerted at (a new alert for a ramp that climbs on); after {@code volume.adaptMinutes} anomalous minutes the
 * streak's level becomes the key's normal. An alerted streak's count / {@code volume.factor} stays expected for a while
 * ({@code volume.burstMemoryMinutes}), so a key back within hours at a level it was alerted for raises nothing new;
 * not for a minute that looks like a leaked key (at or above the floor, many IPs and countries), which is judged
 * without it. A key back after more than a day of silence is judged against the rhythm it kept while its recent
 * level warms up again; where the rhythm does not know the hour yet (a young key), against the level it had
 * before the silence, so that a return far above it is a spike rather than its new normal.
 */
public final class VolumeSpikeRule implements Detector.OnEvent {

    /** Also gates VOLUME_DROP ({@link VolumeJudge#busy}). */
    public static final DetectionSetting WARMUP_MINUTES =
            DetectionSetting.wholeNumber("volume.warmupMinutes", 10, 1, 1_000_000);
    /** Also read by VOLUME_DROP and by the profile's learning ({@link VolumeJudge#learning}). */
    public static final DetectionSetting PROBABILITY =
            DetectionSetting.positiveNumber("volume.probability", 1e-8, 0.01);
    public static final DetectionSetting FACTOR = DetectionSetting.positiveNumber("volume.factor", 3.0, 1e6);
    public static final DetectionSetting MIN_REQUESTS = DetectionSetting.wholeNumber("volume.minRequests", 10, 1, 1e9);
    public static final DetectionSetting FLOOR = DetectionSetting.wholeNumber("volume.floor", 100, 1, 1e9);
    /** A severity code (0 LOW, 1 MEDIUM, 2 HIGH, 3 CRITICAL), or -1 for no alert. */
    public static final DetectionSetting BELOW_FLOOR_SEVERITY =
            DetectionSetting.wholeNumber("volume.belowFloorSeverity", 1, -1, 3);
    /** Also read by VOLUME_DROP and by the profile's learning ({@link VolumeJudge#learning}). */
    public static final DetectionSetting ADAPT_MINUTES =
            DetectionSetting.wholeNumber("volume.adaptMinutes", 30, 1, 10_080);
    /** Read by the profile's learning ({@link VolumeJudge#learning}): 0 remembers no burst. */
    public static final DetectionSetting BURST_MEMORY_MINUTES =
            DetectionSetting.wholeNumber("volume.burstMemoryMinutes", 1440, 0, 100_000);
    /** Read by the profile's learning ({@link VolumeJudge#learning}) for every key. */
    public static final DetectionSetting SMOOTHING = DetectionSetting.positiveNumber("volume.smoothing", 0.1, 1);
    public static final DetectionSetting LEAK_MIN_CLIENT_IPS =
            DetectionSetting.wholeNumber("leak.minClientIps", 20, 1, MinuteAggregate.MAX_CLIENT_IPS);
    public static final DetectionSetting LEAK_MIN_COUNTRIES =
            DetectionSetting.wholeNumber("leak.minCountries", 3, 1, MinuteAggregate.MAX_COUNTRIES);

    private final VolumeJudge judge = new VolumeJudge();

    /** Shared with VOLUME_DROP. */
    static final SettingDoc PROBABILITY_DOC = SettingDoc.of(PROBABILITY, "probability",
            "a minute's count is anomalous (a spike; for VOLUME_DROP a drop) when at most this probable for the key");
    static final SettingDoc ADAPT_MINUTES_DOC = SettingDoc.of(ADAPT_MINUTES, "minutes",
            "anomalous minutes in a row after which their level is the key's new normal (one alert, then quiet)");

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.VOLUME_SPIKE, Trigger.EVENT,
            Dedup.ANOMALY_STREAK,
            "`HIGH` at or above `volume.floor` requests (`CRITICAL` when the spike also comes from many IPs and "
                    + "countries: a leaked key); below it `volume.belowFloorSeverity` (`MEDIUM`)",
            Toggle.GLOBAL_AND_PER_KEY, "volume", List.of(
                    SettingDoc.of(WARMUP_MINUTES, "minutes",
                            "completed minutes before VOLUME_SPIKE may fire"),
                    PROBABILITY_DOC,
                    SettingDoc.of(FACTOR, "x expected",
                            "a spike is also at least this many times the expected count ..."),
                    SettingDoc.of(MIN_REQUESTS, "requests/min",
                            "... and at least this many requests"),
                    SettingDoc.of(FLOOR, "requests/min",
                            "a spike of at least this many requests is `HIGH` (it pages); a smaller one ..."),
                    SettingDoc.of(BELOW_FLOOR_SEVERITY, "severity code",
                            "... has this severity: 0 `LOW`, 1 `MEDIUM`, 2 `HIGH`, 3 `CRITICAL`, -1 no alert"),
                    ADAPT_MINUTES_DOC,
                    SettingDoc.of(BURST_MEMORY_MINUTES, "minutes",
                            "an alerted spike's count / `volume.factor` stays expected, fading with this memory: a key "
                                    + "back within hours at a level it was alerted for raises nothing new, unless "
                                    + "the minute looks leaked (many IPs and countries) (0: off)"),
                    SettingDoc.of(SMOOTHING, "weight",
                            "weight of the newest minute in the key's recent averages"),
                    SettingDoc.of(LEAK_MIN_CLIENT_IPS, "IPs",
                            "a spike from this many client IPs ..."),
                    SettingDoc.of(LEAK_MIN_COUNTRIES, "countries",
                            "... and this many countries is CRITICAL (a leaked key)")),
            "a key's requests in a minute are improbably many for its own normal (count statistics over its recent "
                    + "level and its daily and weekly rhythm, not thrown by its own outliers; after a warm-up; failed "
                    + "secret checks are not volume)");

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        MinuteAggregate usage = context.usage();
        // the common case: one comparison with the critical count found when the minute opened
        if (usage.volume() < usage.spikeCritical() && !judge.judgeLeakWithoutBurst(usage, context.thresholds())) {
            return null;
        }
        Severity severity = severity(usage, context.thresholds());
        if (severity == null) {
            return null;
        }
        Severity already = higher(usage.spikeStreakAlerted(), usage.alerted(AlertRule.VOLUME_SPIKE));
        long streakStart = usage.spikeStreakMinutes() > 0 ? usage.spikeStreakStart() : context.minuteStart();
        if (already != null && severity.compareTo(already) <= 0) {
            if (!raisesAgain(usage, context.thresholds())) {
                return null;
            }
            // a new alert (its own id, from this minute) that says which streak it raises again
            long minute = context.minuteStart();
            return new Verdict(severity, minute, (start, end) -> describe(context.keyId(), context.minute(), usage,
                    severity, context.thresholds(), streakStart, true));
        }
        return new Verdict(severity, streakStart, (start, end) -> describe(context.keyId(), context.minute(), usage,
                severity, context.thresholds(), streakStart, false));
    }

    /** The smallest growth (count over the count last raised) that raises an alerted streak again. */
    static final double MIN_RAISE_AGAIN_STEP = 2.0;

    /**
     * Whether an alerted streak is raised again in this minute: its count reached {@code volume.factor} x the count
     * of the minute the streak last raised in (so a ramp held for hours raises one alert per factor step, about
     * log3(10,000 / 15) = 6 more for 5 -> 10,000 a minute, never one a minute), and this minute raised nothing yet.
     */
    public static boolean raisesAgain(MinuteAggregate usage, KeyThresholds thresholds) {
        double level = usage.spikeStreakLevel();
        // at least x2 a step, whatever volume.factor says: a factor at or below 1 would re-raise every minute
        double step = Math.max(thresholds.get(FACTOR), MIN_RAISE_AGAIN_STEP);
        return usage.spikeStreakAlerted() != null && usage.alerted(AlertRule.VOLUME_SPIKE) == null
                && level > 0 && usage.volume() >= step * level;
    }

    private static Severity higher(Severity a, Severity b) {
        if (a == null) {
            return b;
        }
        return b == null || a.compareTo(b) >= 0 ? a : b;
    }

    /** The severity this minute deserves so far, or null when it is not a spike (or below the floor, with none). */
    public Severity severity(MinuteAggregate usage, KeyThresholds thresholds) {
        if (usage.volume() < usage.spikeCritical()) {
            return null;
        }
        if (!usage.spikeCriticalExact()) {
            // the count reached the effect-size bound: now (once per minute) find the tail's critical count
            judge.resolve(usage, thresholds);
            if (usage.volume() < usage.spikeCritical() && !judge.judgeLeakWithoutBurst(usage, thresholds)) {
                return null;
            }
        }
        if (usage.volume() >= thresholds.get(FLOOR)) {
            return looksLeaked(usage, thresholds) ? Severity.CRITICAL : Severity.HIGH;
        }
        int code = thresholds.getInt(BELOW_FLOOR_SEVERITY);
        return code < 0 ? null : Severity.fromCode(code);
    }

    static boolean looksLeaked(MinuteAggregate usage, KeyThresholds thresholds) {
        return usage.clientIps().distinct() >= thresholds.getInt(LEAK_MIN_CLIENT_IPS)
                && usage.countries().distinct() >= thresholds.getInt(LEAK_MIN_COUNTRIES);
    }

    public Finding describe(String keyId, Instant windowStart, MinuteAggregate usage, Severity severity,
                            KeyThresholds thresholds, long streakStart, boolean again) {
        long critical = usage.spikeCritical();
        double floor = thresholds.get(FLOOR);
        boolean aboveFloor = usage.volume() >= floor;
        // the count at which this severity was reached
        double threshold = aboveFloor ? Math.max(critical, floor) : critical;
        double mu = usage.baselineMean();
        double k = usage.dispersion();
        double p = CountTail.upper(usage.volume(), mu, k);
        long minute = windowStart.toEpochMilli();
        String expectedFrom = expectedFrom(usage);
        String reason = aboveFloor
                ? String.format(Locale.ROOT, "at or above the paging floor of %.0f requests", floor)
                : String.format(Locale.ROOT, "below the paging floor of %.0f requests (volume.belowFloorSeverity)",
                floor);
        // the alert goes out when the count reaches the threshold: "above" only when it is
        String summary = String.format(Locale.ROOT,
                "Key %s reached %d requests in the minute starting %s, %s its threshold of %.0f, where about %.1f "
                        + "were expected (%s); a count this high has a probability of %s for this key. %s: %s.",
                keyId, usage.volume(), windowStart, usage.volume() > threshold ? "above" : "at", threshold, mu,
                expectedFrom, probability(p), severity, reason);
        if (severity == Severity.CRITICAL) {
            summary += String.format(Locale.ROOT,
                    " The requests came from %s%d client IPs in %d countries, which looks like a leaked key.",
                    usage.clientIps().saturated() ? "at least " : "", usage.clientIps().distinct(),
                    usage.countries().distinct());
        }
        double anchor = VolumeJudge.anchor(usage);
        boolean byAnchor = anchor < mu && VolumeJudge.byAnchor(usage, thresholds);
        if (byAnchor) {
            summary += String.format(Locale.ROOT, " The recent level has risen to %.1f x the key's slow level of about "
                    + "%.1f a minute (its hours-long average, its rhythm or what it reached at this hour before), against which "
                    + "this count is improbable: "
                    + "a ramp.", mu / anchor, anchor);
        }
        double peak = usage.recurringPeak();
        if (!Double.isNaN(peak)) {
            summary += String.format(Locale.ROOT, " At this hour the key's busiest minute recurs at about %.0f requests "
                    + "(a periodic job's burst, learnt over days), which allowed this minute up to %.0f; this count "
                    + "is %s x the peak.", peak, usage.peakAllowance(), Evidence.round(usage.volume() / peak));
        }
        if (again) {
            summary += String.format(Locale.ROOT, " Raised again: the streak of anomalous minutes since %s was first "
                            + "alerted at %.0f requests a minute and last at %.0f; this minute reached %s x that.",
                    Instant.ofEpochMilli(streakStart), usage.spikeStreakFirstLevel(), usage.spikeStreakLevel(),
                    Evidence.round(usage.volume() / usage.spikeStreakLevel()));
        } else if (streakStart != minute) {
            summary += String.format(Locale.ROOT, " The key has been anomalously busy since %s.",
                    Instant.ofEpochMilli(streakStart));
        }
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("volume", usage.volume());
        evidence.put("expectedRequestsPerMinute", Evidence.round(mu));
        evidence.put("expectedFrom", expectedFrom);
        evidence.put("recentRequestsPerMinute", Evidence.round(usage.recentMean()));
        evidence.put("hourOfDayUtc", KeyProfile.hourOfDay(minute));
        if (!Double.isNaN(usage.hourMean())) {
            evidence.put("hourOfDayRequestsPerMinute", Evidence.round(usage.hourMean()));
        }
        evidence.put("dayOfWeekUtc", DayOfWeek.of(VolumeModel.dayOfWeek(minute) + 1).name());
        if (!Double.isNaN(usage.dayFactor())) {
            evidence.put("dayOfWeekFactor", Evidence.round(usage.dayFactor()));
        }
        if (!Double.isNaN(usage.seasonalMean())) {
            evidence.put("rhythmRequestsPerMinute", Evidence.round(usage.seasonalMean()));
        }
        if (!Double.isNaN(usage.anchorMean())) {
            evidence.put("slowAnchorRequestsPerMinute", Evidence.round(usage.anchorMean()));
        }
        // whether the minute was a spike only against the slow anchor (the recent level was ramped up)
        evidence.put("slowAnchorTriggered", byAnchor);
        if (byAnchor) {
            evidence.put("slowAnchorPValue", CountTail.upper(usage.volume(), anchor, k));
        }
        evidence.put("countModel", k > 0 ? "negative-binomial" : "poisson");
        evidence.put("dispersion", Evidence.round4(k));
        evidence.put("pValue", p);
        evidence.put("probability", thresholds.get(PROBABILITY));
        evidence.put("criticalCount", critical);
        evidence.put("factor", thresholds.get(FACTOR));
        evidence.put("minRequests", thresholds.getInt(MIN_REQUESTS));
        evidence.put("floor", thresholds.getInt(FLOOR));
        evidence.put("severityReason", reason);
        if (mu > 0) {
            evidence.put("ratioToExpected", Evidence.round(usage.volume() / mu));
        }
        evidence.put("baselineRequestsPerMinute", Evidence.round(mu));
        evidence.put("baselineDeviation", Evidence.round(usage.baselineDeviation()));
        evidence.put("baselineMinutes", usage.baselineMinutes());
        evidence.put("streakStart", Instant.ofEpochMilli(streakStart).toString());
        evidence.put("raisedAgain", again);
        if (again) {
            // which alert this one raises again, and the levels it climbed from
            evidence.put("raisedAgainOf",
                    Alert.idFor(AlertRule.VOLUME_SPIKE, keyId, Instant.ofEpochMilli(streakStart)));
            evidence.put("firstAlertRequestsPerMinute", Evidence.round(usage.spikeStreakFirstLevel()));
            evidence.put("lastAlertRequestsPerMinute", Evidence.round(usage.spikeStreakLevel()));
        }
        if (!Double.isNaN(usage.pauseMean())) {
            evidence.put("beforePauseRequestsPerMinute", Evidence.round(usage.pauseMean()));
        }
        if (!Double.isNaN(usage.silenceMean())) {
            evidence.put("beforeSilenceRequestsPerMinute", Evidence.round(usage.silenceMean()));
        }
        if (!Double.isNaN(peak)) {
            evidence.put("recurringPeakRequests", Evidence.round(peak));
            evidence.put("recurringPeakAllowance", Evidence.round(usage.peakAllowance()));
        }
        evidence.put("streakMinutes", usage.spikeStreakMinutes() + 1);
        evidence.put("adaptMinutes", thresholds.getInt(ADAPT_MINUTES));
        evidence.put("leakMinClientIps", thresholds.getInt(LEAK_MIN_CLIENT_IPS));
        evidence.put("leakMinCountries", thresholds.getInt(LEAK_MIN_COUNTRIES));
        return new Finding(AlertRule.VOLUME_SPIKE, severity, usage.volume(), threshold, mu, summary, evidence);
    }

    /** Which part of the profile the expected count came from. */
    static String expectedFrom(MinuteAggregate usage) {
        if (usage.silenceMean() >= usage.baselineMean()
                && !(usage.pauseMean() > usage.silenceMean())) {
            return "the level before a silence of more than a day (the key is warming up again)";
        }
        if (!Double.isNaN(usage.pauseMean())) {
            return "the level before a pause, fading";
        }
        double rhythmOrRecent = Double.isNaN(usage.seasonalMean()) ? usage.recentMean()
                : Math.max(usage.recentMean(), usage.seasonalMean());
        if (usage.baselineMean() > rhythmOrRecent) {
            // the snapshot keeps neither the burst memory nor the rhythm's next hour apart: one of the two lifted it
            return "a burst alerted in the last hours (volume.burstMemoryMinutes) or the rhythm's next hour";
        }
        if (Double.isNaN(usage.seasonalMean()) || usage.recentMean() >= usage.seasonalMean()) {
            return Double.isNaN(usage.seasonalMean()) ? "recent level; rhythm not learnt yet" : "recent level";
        }
        return Double.isNaN(usage.dayFactor()) ? "hour of day" : "hour of day x day of week";
    }

    static String probability(double p) {
        return p >= 1e-3 ? String.format(Locale.ROOT, "%.4f", p) : String.format(Locale.ROOT, "%.1e", p);
    }
}
