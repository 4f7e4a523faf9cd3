package io.keywatch.tools.evaluate;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.simulator.Incident;
import io.keywatch.events.UsageEvent;
import io.keywatch.simulator.IncidentKind;
import io.keywatch.simulator.KeyProfile;
import io.keywatch.simulator.MixedDay;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scores the alerts raised over a {@link MixedDay} against the day's ground truth: which injected incidents were
 * caught by their expected rule and how fast, and which alerts nothing explains (false positives).
 *
 * <p>An incident is <em>detected</em> when an alert of its {@link IncidentKind#expectedRule()} on its key has a
 * {@code triggeredAt} (the event time of the event that crossed the threshold) within
 * {@code [start, end + }{@value #SLACK_MINUTES}{@code  min]}; the time to detect is that alert's {@code triggeredAt}
 * minus the incident's start.
 *
 * <p>Every distinct alert (by id: an alert escalated from HIGH to CRITICAL within its window is emitted twice under
 * one id, and counts once, with its highest severity) gets one {@link Verdict}:
 * <ul>
 *   <li>{@link Verdict#DETECTION}: the expected rule of an incident on that key, in the incident's period;</li>
 *   <li>{@link Verdict#SIDE_EFFECT}: another rule on an incident's key in the incident's period (a leaked key's burst
 *   also comes from new countries and many IPs; a fan-out may also bring a new country);</li>
 *   <li>{@link Verdict#HOUSEKEEPING}: a registry finding the day lists in {@link MixedDay#housekeeping()} (same rule
 *   and key), whenever it is raised: the registry is what it is all day;</li>
 *   <li>{@link Verdict#HISTORY_GAP}: a KEY_UNUSED that the simulated world contradicts but the input bears out. A
 *   mixed day's events start with the silent keys' history, 35 to 60 days before the day, yet hold the keys in
 *   daily use only from the day's start, and of each expired or dormant key only the ten minutes before its last
 *   use. keywatch counts silence from its first event, so to it those keys really were unused for weeks, and its
 *   hygiene scan says so (at the history's later scans and at the day's first one); in the simulated world they
 *   were in use. {@link MixedDay#housekeeping()} does not list these findings. They are neither a detector error
 *   nor an expected finding, so they are counted and shown apart, never mixed into the false positives; the exact
 *   test is {@link #isHistoryGap}. A KEY_UNUSED on a key keywatch had already seen on the day stays a false
 *   positive;</li>
 *   <li>{@link Verdict#FALSE_POSITIVE}: anything else.</li>
 * </ul>
 *
 * <p>False positives are also given per 10,000 key-hours: {@code falsePositives / (keys × 24) × 10,000}, where keys
 * is the number of registered keys the day simulates (the made-up unknown key is not counted). Alerts raised on the
 * silent keys' history before the day count like any other.
 */
public final class MixedDayEvaluation {

    /** How long after an incident's last request an alert still counts as caused by it. */
    public static final long SLACK_MINUTES = 2;
    public static final Duration SLACK = Duration.ofMinutes(SLACK_MINUTES);

    /** What explains an alert. */
    public enum Verdict {
        /** The incident's expected rule on its key, in its period. */
        DETECTION,
        /** Another rule on an incident's key, in the incident's period. */
        SIDE_EFFECT,
        /** A registry finding the day expects without an incident ({@link MixedDay#housekeeping()}). */
        HOUSEKEEPING,
        /**
         * KEY_UNUSED on a key the simulated world had in use, raised because the day's input holds none of those uses:
         * true of the input, false of the world (see the class comment and {@link #isHistoryGap}). Counted apart.
         */
        HISTORY_GAP,
        /** Nothing explains it. */
        FALSE_POSITIVE
    }

    /**
     * One distinct alert and what explains it.
     *
     * @param alert            the alert at its highest severity (the last escalation)
     * @param firstTriggeredAt the {@code triggeredAt} of its first emission
     * @param emissions        how many times it was emitted (more than once when it escalated)
     * @param incident         the incident that explains it (DETECTION, SIDE_EFFECT), else null
     * @param reason           in words, for the report
     */
    public record ScoredAlert(Alert alert, Instant firstTriggeredAt, int emissions, Verdict verdict, Incident incident,
                              String reason) {
    }

    /**
     * One injected incident and whether it was caught.
     *
     * @param detection     the first alert of the expected rule that caught it, or null when missed
     * @param timeToDetect  its {@code triggeredAt} minus the incident's start, or null when missed
     * @param otherRules    other rules raised on the incident's key in its period (side effects)
     */
    public record IncidentOutcome(Incident incident, AlertRule expectedRule, ScoredAlert detection,
                                  Duration timeToDetect, List<AlertRule> otherRules) {

        public boolean detected() {
            return detection != null;
        }

        public IncidentKind kind() {
            return incident.kind();
        }
    }

    private final MixedDay day;
    private final List<IncidentOutcome> outcomes;
    private final List<ScoredAlert> alerts;
    private final int rawAlerts;

    private MixedDayEvaluation(MixedDay day, List<IncidentOutcome> outcomes, List<ScoredAlert> alerts, int rawAlerts) {
        this.day = day;
        this.outcomes = outcomes;
        this.alerts = alerts;
        this.rawAlerts = rawAlerts;
    }

    /** Scores {@code alerts} (as raised, escalations included, in any order) against {@code day}'s ground truth. */
    public static MixedDayEvaluation score(MixedDay day, List<Alert> allAlerts) {
        Objects.requireNonNull(day, "day");
        Objects.requireNonNull(allAlerts, "alerts");
        // what the replayed weeks before the day raise is warm-up, as for any keywatch newly switched on: not scored
        List<Alert> alerts = allAlerts.stream().filter(a -> !triggeredAt(a).isBefore(day.start())).toList();
        List<Distinct> distinct = distinct(alerts);
        List<ScoredAlert> scored = new ArrayList<>(distinct.size());
        for (Distinct d : distinct) {
            scored.add(explain(day, d));
        }
        List<IncidentOutcome> outcomes = new ArrayList<>();
        for (Incident incident : day.incidents()) {
            AlertRule expected = incident.kind().expectedRule();
            ScoredAlert detection = scored.stream()
                    .filter(s -> s.verdict() == Verdict.DETECTION && s.incident() == incident)
                    .min(Comparator.comparing(ScoredAlert::firstTriggeredAt))
                    .orElse(null);
            List<AlertRule> others = scored.stream()
                    .filter(s -> s.verdict() == Verdict.SIDE_EFFECT && s.incident() == incident)
                    .map(s -> s.alert().rule()).distinct().sorted().toList();
            outcomes.add(new IncidentOutcome(incident, expected, detection,
                    detection == null ? null : Duration.between(incident.start(), detection.firstTriggeredAt()),
                    others));
        }
        return new MixedDayEvaluation(day, List.copyOf(outcomes), List.copyOf(scored), alerts.size());
    }

    /** An alert id's emissions folded into one: the highest severity, the first trigger time. */
    private record Distinct(Alert highest, Instant firstTriggeredAt, int emissions) {
    }

    private static List<Distinct> distinct(List<Alert> alerts) {
        Map<String, List<Alert>> byId = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            byId.computeIfAbsent(alert.id(), id -> new ArrayList<>()).add(alert);
        }
        List<Distinct> distinct = new ArrayList<>(byId.size());
        for (List<Alert> emissions : byId.values()) {
            Alert highest = emissions.get(0);
            Instant first = triggeredAt(highest);
            for (Alert alert : emissions) {
                if (alert.severity().compareTo(highest.severity()) > 0) {
                    highest = alert;
                }
                if (triggeredAt(alert).isBefore(first)) {
                    first = triggeredAt(alert);
                }
            }
            distinct.add(new Distinct(highest, first, emissions.size()));
        }
        distinct.sort(Comparator.comparing(Distinct::firstTriggeredAt).thenComparing(d -> d.highest().id()));
        return distinct;
    }

    /** When the alert fired: its triggeredAt, or its window start for an alert that has none. */
    private static Instant triggeredAt(Alert alert) {
        return alert.triggeredAt() != null ? alert.triggeredAt() : alert.windowStart();
    }

    private static ScoredAlert explain(MixedDay day, Distinct d) {
        Alert alert = d.highest();
        Instant at = d.firstTriggeredAt();
        Incident sideEffectOf = null;
        for (Incident incident : day.incidents()) {
            if (!incident.keyId().equals(alert.keyId()) || at.isBefore(incident.start())
                    || at.isAfter(incident.end().plus(SLACK))) {
                continue;
            }
            if (alert.rule() == incident.kind().expectedRule()) {
                return new ScoredAlert(alert, at, d.emissions(), Verdict.DETECTION, incident,
                        "detects " + incident.kind());
            }
            if (sideEffectOf == null) {
                sideEffectOf = incident;
            }
        }
        if (sideEffectOf != null) {
            return new ScoredAlert(alert, at, d.emissions(), Verdict.SIDE_EFFECT, sideEffectOf,
                    "side effect of " + sideEffectOf.kind());
        }
        Optional<MixedDay.HousekeepingFinding> finding = day.housekeeping().stream()
                .filter(f -> f.rule() == alert.rule() && f.keyId().equals(alert.keyId()))
                .findFirst();
        if (finding.isPresent()) {
            return new ScoredAlert(alert, at, d.emissions(), Verdict.HOUSEKEEPING, null,
                    "housekeeping: " + finding.get().reason());
        }
        if (isHistoryGap(day, alert)) {
            return new ScoredAlert(alert, at, d.emissions(), Verdict.HISTORY_GAP, null,
                    "history gap: the key was in use in the simulation, but not in the input");
        }
        return new ScoredAlert(alert, at, d.emissions(), Verdict.FALSE_POSITIVE, null, "unexplained");
    }

    /**
     * True for a KEY_UNUSED alert that the simulated world contradicts but the day's input bears out (see
     * {@link Verdict#HISTORY_GAP}): the key was in use within the rule's threshold ({@code thresholdDays} evidence,
     * 30 by default) before the alert, and the input holds none of those uses. For a key in daily use (ACTIVE), the
     * input holds its traffic only from the day's start: the alert must come before keywatch saw the key on the day
     * (its {@code lastSeen} evidence is "never" or before the day). For a dormant or expired key, in use until its
     * {@code lastUsedAt}, the input holds only the last minutes before that: the alert must come before them.
     */
    public static boolean isHistoryGap(MixedDay day, Alert alert) {
        if (alert.rule() != AlertRule.KEY_UNUSED) {
            return false;
        }
        Optional<KeyProfile> key = day.model().key(alert.keyId());
        if (key.isEmpty()) {
            return false;
        }
        Instant at = triggeredAt(alert);
        if (key.get().lifecycle().makesTraffic()) {
            return notSeenOnTheDay(day, alert.evidence().get("lastSeen"));
        }
        Object threshold = alert.evidence().get("thresholdDays");
        long days = threshold instanceof Number n ? n.longValue() : 30;
        boolean inUse = key.get().lastUsedAt().isAfter(at.minus(Duration.ofDays(days)));
        Optional<Instant> firstInInput = day.historyEvents().stream()
                .filter(e -> e.keyId().equals(alert.keyId())).map(UsageEvent::timestamp).min(Comparator.naturalOrder());
        return inUse && firstInInput.map(at::isBefore).orElse(true);
    }

    /**
     * Compares a backtest's alerts with a live run's over {@code day}. Alerts raised while the weeks of history
     * before the day are replayed are listed apart, not compared: the hygiene scan is a stream-time punctuator, and
     * over sparse history (a request a week per key) when it runs depends on how many events each processing step
     * takes (see {@link #SCAN_TIMING}). Every alert of the day itself must match.
     */
    public static AlertSetComparison compareLiveWithBacktest(MixedDay day, List<Alert> backtest, List<Alert> live) {
        return AlertSetComparison.compare(backtest, live, alert -> triggeredAt(alert).isBefore(day.start()));
    }

    /** Why hygiene alerts raised during the replayed history may differ between a live run and a backtest. */
    public static final String SCAN_TIMING = "the hygiene scan is a stream-time punctuator: the test driver runs it "
            + "right after the event that crosses its 10-minute boundary, live Kafka Streams only after the batch "
            + "of events it is processing, so over sparse history the two scan at different stream times";

    private static boolean keptInUse(MixedDay day, String keyId) {
        return day.model().key(keyId).map(k -> k.lifecycle().makesTraffic()).orElse(false);
    }

    /** True when KEY_UNUSED's {@code lastSeen} evidence says keywatch had not seen the key since the day began. */
    private static boolean notSeenOnTheDay(MixedDay day, Object lastSeen) {
        if ("never".equals(lastSeen)) {
            return true;
        }
        if (lastSeen instanceof String text) {
            try {
                return Instant.parse(text).isBefore(day.start());
            } catch (java.time.format.DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    public MixedDay day() {
        return day;
    }

    /** One outcome per injected incident, by incident start. */
    public List<IncidentOutcome> outcomes() {
        return outcomes;
    }

    /** The outcome of the incident of {@code kind}. */
    public IncidentOutcome outcome(IncidentKind kind) {
        return outcomes.stream().filter(o -> o.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the day has no incident of kind " + kind));
    }

    public boolean allDetected() {
        return outcomes.stream().allMatch(IncidentOutcome::detected);
    }

    public List<IncidentOutcome> missed() {
        return outcomes.stream().filter(o -> !o.detected()).toList();
    }

    /** Every distinct alert with its verdict, by first trigger time. */
    public List<ScoredAlert> alerts() {
        return alerts;
    }

    /** Alerts as emitted, escalations included. */
    public int rawAlertCount() {
        return rawAlerts;
    }

    public List<ScoredAlert> alerts(Verdict verdict) {
        return alerts.stream().filter(a -> a.verdict() == verdict).toList();
    }

    public List<ScoredAlert> falsePositives() {
        return alerts(Verdict.FALSE_POSITIVE);
    }

    /** The registered keys the day simulates, times 24 hours. */
    public long keyHours() {
        return day.settings().keys() * 24L;
    }

    /** False positives per 10,000 key-hours. */
    public double falsePositivesPer10kKeyHours() {
        return falsePositives().size() * 10_000.0 / keyHours();
    }
}
