package io.keywatch.tools.backtest;

import io.keywatch.events.Alert;
import io.keywatch.events.AlertRule;
import io.keywatch.events.Severity;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a backtest saw and raised.
 *
 * @param alerts            every alert, in the order the topology raised them
 * @param events            usage events replayed
 * @param keyStates         key states fed to the key-state topic
 * @param deadLettered      events the topology sent to the dead-letter topic, late ones apart
 * @param deadLetterReasons the first few dead-letter reasons, for the report
 * @param late              events that came more than the grace period behind the newest one: the topology
 *                          dead-letters them as late, as it would live (sort the input to avoid it)
 * @param firstEventTime    the earliest event time replayed; null without events
 * @param lastEventTime     the latest event time replayed; null without events
 * @param elapsed           how long the replay took (wall-clock; the only part that differs between runs)
 */
public record BacktestResult(
        List<Alert> alerts,
        long events,
        long keyStates,
        long deadLettered,
        List<String> deadLetterReasons,
        long late,
        Instant firstEventTime,
        Instant lastEventTime,
        Duration elapsed) {

    public BacktestResult {
        alerts = List.copyOf(alerts);
        deadLetterReasons = List.copyOf(deadLetterReasons);
    }

    /**
     * One rule's alerts.
     *
     * @param keys       the keys it raised alerts for, sorted
     * @param bySeverity alerts per severity, every severity present (zero where none)
     */
    public record RuleSummary(AlertRule rule, long alerts, Set<String> keys, Map<Severity, Long> bySeverity) {

        public RuleSummary {
            keys = Set.copyOf(keys);
            bySeverity = Map.copyOf(bySeverity);
        }
    }

    /** The alerts per rule, for the rules that raised any, in rule order. */
    public Map<AlertRule, RuleSummary> byRule() {
        Map<AlertRule, Set<String>> keys = new EnumMap<>(AlertRule.class);
        Map<AlertRule, Map<Severity, Long>> severities = new EnumMap<>(AlertRule.class);
        for (Alert alert : alerts) {
            keys.computeIfAbsent(alert.rule(), r -> new TreeSet<>()).add(alert.keyId());
            severities.computeIfAbsent(alert.rule(), r -> zeroPerSeverity()).merge(alert.severity(), 1L, Long::sum);
        }
        Map<AlertRule, RuleSummary> summary = new EnumMap<>(AlertRule.class);
        keys.forEach((rule, ruleKeys) -> {
            Map<Severity, Long> bySeverity = severities.get(rule);
            long total = bySeverity.values().stream().mapToLong(Long::longValue).sum();
            summary.put(rule, new RuleSummary(rule, total, ruleKeys, bySeverity));
        });
        return summary;
    }

    /** Alerts of one rule, in the order they were raised. */
    public List<Alert> alerts(AlertRule rule) {
        return alerts.stream().filter(a -> a.rule() == rule).toList();
    }

    private static Map<Severity, Long> zeroPerSeverity() {
        Map<Severity, Long> counts = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            counts.put(severity, 0L);
        }
        return counts;
    }
}
