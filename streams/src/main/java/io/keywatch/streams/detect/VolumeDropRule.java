package io.keywatch.streams.detect;

import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import io.keywatch.streams.DetectionSetting;
import io.keywatch.streams.aggregate.CountTail;
import io.keywatch.streams.aggregate.KeyProfile;
import io.keywatch.streams.aggregate.VolumeModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * VOLUME_DROP (off by default): a busy key (expected at least {@code drop.minExpected} requests a minute) whose
 * minutes are improbably low ({@code P(X <= x) <= volume.probability}, the count model of VOLUME_SPIKE, against the
 * smaller of its recent level and its rhythm, so a usual quiet night or weekend is no drop) for {@code drop.minutes}
 * minutes in a row. MEDIUM, once per streak. Judged when the key's next minute opens (its profile counts the streak)
 * and, for a key that stops entirely and so sends nothing, by the detection processor's stream-time check of the
 * task's busy keys ({@link #silence}).
 */
public final class VolumeDropRule implements Detector.OnEvent {

    /** Also read by the profile's learning ({@link VolumeJudge#learning}). */
    public static final DetectionSetting MIN_EXPECTED = DetectionSetting.number("drop.minExpected", 20, 1, 1e9);
    /** Also read by the detection processor's check of busy keys that went silent. */
    public static final DetectionSetting MINUTES = DetectionSetting.wholeNumber("drop.minutes", 5, 1, 1440);

    static final RuleDeclaration DECLARATION = new RuleDeclaration(AlertRule.VOLUME_DROP, Trigger.MINUTE_OPEN,
            Dedup.ANOMALY_STREAK, "`MEDIUM`", Toggle.GLOBAL_AND_PER_KEY, "drop", List.of(
                    SettingDoc.of(MIN_EXPECTED, "requests/min",
                            "only a key expected to make at least this many requests a minute can drop"),
                    SettingDoc.of(MINUTES, "minutes",
                            "improbably low (or silent) minutes in a row before VOLUME_DROP fires"),
                    VolumeSpikeRule.PROBABILITY_DOC,
                    VolumeSpikeRule.ADAPT_MINUTES_DOC),
            "a busy key's requests dropped improbably low, or stopped, for several minutes in a row (a broken "
                    + "integration, a key revoked upstream, or traffic moved elsewhere)", false);

    @Override
    public RuleDeclaration declaration() {
        return DECLARATION;
    }

    @Override
    public Verdict evaluate(EventContext context) {
        if (!context.minuteOpened()) {
            return null;
        }
        KeyProfile profile = context.profile();
        VolumeModel model = profile.volumeModel();
        int minutes = model.dropStreakMinutes();
        if (minutes < context.thresholds().getInt(MINUTES) || model.dropStreakAlerted()) {
            return null;
        }
        long streakStart = model.dropStreakStart();
        // the count model's view of a silent minute at the start of the streak, for the evidence
        double expected = profile.dropExpectedVolume(streakStart);
        return new Verdict(Severity.MEDIUM, streakStart, (start, end) -> describe(context.keyId(), streakStart,
                context.minuteStart(), minutes, expected, profile.dispersion(), context.thresholds(), "the key's "
                        + "minutes were improbably low"));
    }

    /**
     * Whether a key that sent nothing since its minute {@code lastMinute} has, by {@code now}, been silent for
     * {@code drop.minutes} minutes each of which was improbable for it; the first silent minute, or
     * {@link Long#MIN_VALUE} when not.
     */
    public long silence(KeyProfile profile, long lastMinute, long now, KeyThresholds thresholds) {
        int minutes = thresholds.getInt(MINUTES);
        long first = lastMinute + Evidence.MINUTE_MS;
        // complete silent minutes only
        if (first + minutes * Evidence.MINUTE_MS > now) {
            return Long.MIN_VALUE;
        }
        double p = thresholds.get(VolumeSpikeRule.PROBABILITY);
        double minExpected = thresholds.get(MIN_EXPECTED);
        double k = profile.dispersion();
        for (int i = 0; i < minutes; i++) {
            double expected = profile.dropExpectedVolume(first + i * Evidence.MINUTE_MS);
            if (!(expected >= minExpected) || CountTail.lower(0, expected, k) > p) {
                return Long.MIN_VALUE;
            }
        }
        return first;
    }

    /** The finding for a drop streak from {@code streakStart} seen at {@code seenAt}. */
    public Finding describe(String keyId, long streakStart, long seenAt, int minutes, double expected,
                            double dispersion, KeyThresholds thresholds, String how) {
        double p = CountTail.lower(0, expected, dispersion);
        String summary = String.format(Locale.ROOT,
                "Key %s has been improbably quiet since %s (%d minutes; %s): about %.1f requests a minute were "
                        + "expected, and a silent minute has a probability of %s for this key.",
                keyId, Instant.ofEpochMilli(streakStart), minutes, how, expected, VolumeSpikeRule.probability(p));
        Map<String, Object> evidence = new LinkedHashMap<>();
        evidence.put("streakStart", Instant.ofEpochMilli(streakStart).toString());
        evidence.put("seenAt", Instant.ofEpochMilli(seenAt).toString());
        evidence.put("minutes", minutes);
        evidence.put("expectedRequestsPerMinute", Evidence.round(expected));
        evidence.put("expectedFrom", "the smaller of the recent level and the rhythm (hour of day x day of week)");
        evidence.put("countModel", dispersion > 0 ? "negative-binomial" : "poisson");
        evidence.put("dispersion", Evidence.round4(dispersion));
        evidence.put("silentMinutePValue", p);
        evidence.put("probability", thresholds.get(VolumeSpikeRule.PROBABILITY));
        evidence.put("dropMinutes", thresholds.getInt(MINUTES));
        evidence.put("dropMinExpected", thresholds.get(MIN_EXPECTED));
        return new Finding(AlertRule.VOLUME_DROP, Severity.MEDIUM, minutes,
                thresholds.getInt(MINUTES), expected, summary, evidence);
    }
}
