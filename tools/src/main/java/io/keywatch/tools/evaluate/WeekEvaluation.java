package io.keywatch.tools.evaluate;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.simulator.MixedWeek;
import io.keywatch.simulator.WeekIncident;
import io.keywatch.simulator.WeekScenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Scores the alerts raised over a {@link MixedWeek} against its scenarios, per scenario and per rule.
 *
 * <p>Every distinct alert (by id, at its first trigger time) gets one {@link Verdict}, the first that applies:
 * <ul>
 *   <li>{@link Verdict#REGISTRY_FINDING}: a hygiene rule about the registry itself (expiring, rotation due, unused),
 *   which the simulated registry may rightly raise on any day; counted apart;</li>
 *   <li>{@link Verdict#DETECTION}: the expected rule of an attack scenario on its key, between its start and
 *   {@link #SLACK} after its end;</li>
 *   <li>{@link Verdict#SIDE_EFFECT}: another rule on an attack's key in that period;</li>
 *   <li>{@link Verdict#LEVEL_SHIFT_NOTICE}: the first alert on a level-shifted key after its step (one is
 *   acceptable: something did change);</li>
 *   <li>{@link Verdict#FALSE_ALERT}: anything else, a second alert after a level shift included.</li>
 * </ul>
 * False alerts per 10,000 key-hours: over every registered key for every simulated hour.
 */
public final class WeekEvaluation {

    public static final Duration SLACK = MixedDayEvaluation.SLACK;
    /** Findings about the registry, not the traffic. */
    static final Set<AlertRule> REGISTRY_RULES = Set.of(AlertRule.KEY_EXPIRING, AlertRule.KEY_ROTATION_DUE,
            AlertRule.KEY_UNUSED);

    public enum Verdict { DETECTION, SIDE_EFFECT, LEVEL_SHIFT_NOTICE, REGISTRY_FINDING, FALSE_ALERT }

    /** One distinct alert and its verdict. */
    public record Scored(Alert alert, Instant at, Verdict verdict) {
    }

    /**
     * One scenario's outcome.
     *
     * @param asExpected    an attack detected by its expected rule; a level shift with at most one alert after it
     * @param timeToDetect  for a detected attack, its first detection minus its start
     * @param alertsOnKey   alerts on the key from the start (to the end plus slack for an attack; to the end of
     *                      the period for a level shift)
     */
    public record Outcome(WeekIncident incident, boolean asExpected, Optional<Duration> timeToDetect,
                          int alertsOnKey) {
    }

    /** Per scenario: how many, how many as expected, times to detect. */
    public record ScenarioSummary(WeekScenario scenario, int incidents, int asExpected, List<Duration> timesToDetect,
                                  int alertsOnKeys) {
        public Optional<Duration> median() {
            if (timesToDetect.isEmpty()) {
                return Optional.empty();
            }
            List<Duration> sorted = timesToDetect.stream().sorted().toList();
            int n = sorted.size();
            return Optional.of(n % 2 == 1 ? sorted.get(n / 2)
                    : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2));
        }

        public Optional<Duration> max() {
            return timesToDetect.stream().max(Duration::compareTo);
        }
    }

    /** Per rule: alerts by verdict. */
    public record RuleSummary(AlertRule rule, Map<Verdict, Integer> byVerdict) {
        public int alerts() {
            return byVerdict.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int count(Verdict verdict) {
            return byVerdict.getOrDefault(verdict, 0);
        }
    }

    private final MixedWeek week;
    private final List<Scored> alerts;
    private final List<Outcome> outcomes;
    private final int rawAlerts;

    private WeekEvaluation(MixedWeek week, List<Scored> alerts, List<Outcome> outcomes, int rawAlerts) {
        this.week = week;
        this.alerts = List.copyOf(alerts);
        this.outcomes = List.copyOf(outcomes);
        this.rawAlerts = rawAlerts;
    }

    public static WeekEvaluation score(MixedWeek week, List<Alert> raised) {
        List<Scored> scored = new ArrayList<>();
        Map<String, Integer> levelShiftAlerts = new LinkedHashMap<>();
        for (Distinct d : distinct(raised)) {
            scored.add(new Scored(d.alert(), d.at(), verdict(week, d, levelShiftAlerts)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (WeekIncident incident : week.incidents()) {
            Instant until = incident.scenario().shouldAlert() ? incident.end().plus(SLACK) : week.end();
            List<Scored> onKey = scored.stream().filter(s -> s.alert().keyId().equals(incident.keyId())
                    && s.verdict() != Verdict.REGISTRY_FINDING
                    && !s.at().isBefore(incident.start()) && !s.at().isAfter(until)).toList();
            if (incident.scenario().shouldAlert()) {
                Optional<Duration> ttd = onKey.stream().filter(s -> s.verdict() == Verdict.DETECTION)
                        .map(s -> Duration.between(incident.start(), s.at())).min(Duration::compareTo);
                outcomes.add(new Outcome(incident, ttd.isPresent(), ttd, onKey.size()));
            } else {
                outcomes.add(new Outcome(incident, onKey.size() <= 1, Optional.empty(), onKey.size()));
            }
        }
        return new WeekEvaluation(week, scored, outcomes, raised.size());
    }

    private record Distinct(Alert alert, Instant at) {
    }

    private static List<Distinct> distinct(List<Alert> raised) {
        Map<String, Distinct> byId = new LinkedHashMap<>();
        for (Alert alert : raised) {
            Instant at = alert.triggeredAt() != null ? alert.triggeredAt() : alert.windowStart();
            byId.merge(alert.id(), new Distinct(alert, at), (a, b) -> {
                Alert higher = b.alert().severity().compareTo(a.alert().severity()) > 0 ? b.alert() : a.alert();
                return new Distinct(higher, a.at().isBefore(b.at()) ? a.at() : b.at());
            });
        }
        List<Distinct> list = new ArrayList<>(byId.values());
        list.sort(Comparator.comparing(Distinct::at).thenComparing(d -> d.alert().id()));
        return list;
    }

    private static Verdict verdict(MixedWeek week, Distinct d, Map<String, Integer> levelShiftAlerts) {
        Alert alert = d.alert();
        if (REGISTRY_RULES.contains(alert.rule())) {
            return Verdict.REGISTRY_FINDING;
        }
        Verdict found = null;
        for (WeekIncident incident : week.incidents()) {
            if (!incident.keyId().equals(alert.keyId()) || d.at().isBefore(incident.start())) {
                continue;
            }
            if (incident.scenario().shouldAlert()) {
                if (!d.at().isAfter(incident.end().plus(SLACK))) {
                    if (alert.rule() == incident.scenario().expectedRule()) {
                        return Verdict.DETECTION;
                    }
                    found = Verdict.SIDE_EFFECT;
                }
            } else if (found == null) {
                int before = levelShiftAlerts.merge(alert.keyId(), 1, Integer::sum);
                found = before == 1 ? Verdict.LEVEL_SHIFT_NOTICE : Verdict.FALSE_ALERT;
            }
        }
        return found != null ? found : Verdict.FALSE_ALERT;
    }

    public MixedWeek week() {
        return week;
    }

    public List<Scored> alerts() {
        return alerts;
    }

    public int rawAlertCount() {
        return rawAlerts;
    }

    public List<Outcome> outcomes() {
        return outcomes;
    }

    public List<Scored> falseAlerts() {
        return alerts.stream().filter(s -> s.verdict() == Verdict.FALSE_ALERT).toList();
    }

    /** True when every attack was detected and every level shift raised at most one alert. */
    public boolean allAsExpected() {
        return outcomes.stream().allMatch(Outcome::asExpected);
    }

    public Map<WeekScenario, ScenarioSummary> byScenario() {
        Map<WeekScenario, ScenarioSummary> summary = new EnumMap<>(WeekScenario.class);
        for (WeekScenario scenario : WeekScenario.values()) {
            List<Outcome> of = outcomes.stream().filter(o -> o.incident().scenario() == scenario).toList();
            summary.put(scenario, new ScenarioSummary(scenario, of.size(),
                    (int) of.stream().filter(Outcome::asExpected).count(),
                    of.stream().flatMap(o -> o.timeToDetect().stream()).toList(),
                    of.stream().mapToInt(Outcome::alertsOnKey).sum()));
        }
        return summary;
    }

    /** Per rule that raised anything (and VOLUME_SPIKE always), in rule order. */
    public Map<AlertRule, RuleSummary> byRule() {
        Map<AlertRule, Map<Verdict, Integer>> counts = new EnumMap<>(AlertRule.class);
        counts.put(AlertRule.VOLUME_SPIKE, new EnumMap<>(Verdict.class));
        for (Scored s : alerts) {
            counts.computeIfAbsent(s.alert().rule(), r -> new EnumMap<>(Verdict.class)).merge(s.verdict(), 1,
                    Integer::sum);
        }
        Map<AlertRule, RuleSummary> summary = new EnumMap<>(AlertRule.class);
        counts.forEach((rule, byVerdict) -> summary.put(rule, new RuleSummary(rule, Map.copyOf(byVerdict))));
        return summary;
    }

    /** Registered keys times simulated hours. */
    public long keyHours() {
        return (long) week.settings().keys() * week.days() * 24;
    }

    public double per10kKeyHours(int alerts) {
        return alerts * 10_000.0 / keyHours();
    }
}
