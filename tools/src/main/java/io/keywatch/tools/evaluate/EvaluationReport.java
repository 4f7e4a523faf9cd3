package io.keywatch.tools.evaluate;

import io.keywatch.events.Alert;
import io.keywatch.simulator.Incident;
import io.keywatch.tools.evaluate.MixedDayEvaluation.IncidentOutcome;
import io.keywatch.tools.evaluate.MixedDayEvaluation.ScoredAlert;
import io.keywatch.tools.evaluate.MixedDayEvaluation.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The human-readable table and the JSON shape of a {@link MixedDayEvaluation} (and, optionally, a live comparison). */
public final class EvaluationReport {

    private EvaluationReport() {
    }

    /** The table: one row per incident, the false positives, and the rates. */
    public static void print(PrintWriter out, MixedDayEvaluation evaluation) {
        out.println(String.format(Locale.ROOT, "%-25s %-9s %-24s %-18s %11s  %s", "INCIDENT", "DETECTED", "RULE", "KEY",
                "DETECT TIME", "ALSO RAISED ON THE KEY"));
        for (IncidentOutcome outcome : evaluation.outcomes()) {
            Incident incident = outcome.incident();
            out.println(String.format(Locale.ROOT, "%-25s %-9s %-24s %-18s %11s  %s", incident.kind(),
                    outcome.detected() ? "yes" : "NO", outcome.expectedRule(), incident.keyId(),
                    outcome.detected() ? seconds(outcome.timeToDetect()) : "-",
                    outcome.otherRules().isEmpty() ? "-" : outcome.otherRules().stream().map(Enum::name)
                            .collect(Collectors.joining(", "))));
        }
        long detected = evaluation.outcomes().stream().filter(IncidentOutcome::detected).count();
        out.println(String.format(Locale.ROOT, "detected %d of %d incidents (an alert of the expected rule on the "
                        + "incident's key, triggered between its start and %d min after its end)", detected,
                evaluation.outcomes().size(), MixedDayEvaluation.SLACK_MINUTES));
        out.println();
        Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
        for (Verdict verdict : Verdict.values()) {
            counts.put(verdict, (long) evaluation.alerts(verdict).size());
        }
        out.println(String.format(Locale.ROOT, "alerts: %,d distinct (%,d emitted): %,d detections, %,d side effects of "
                        + "incidents, %,d housekeeping findings, %,d history-gap findings, %,d false positives",
                evaluation.alerts().size(), evaluation.rawAlertCount(), counts.get(Verdict.DETECTION),
                counts.get(Verdict.SIDE_EFFECT), counts.get(Verdict.HOUSEKEEPING), counts.get(Verdict.HISTORY_GAP),
                counts.get(Verdict.FALSE_POSITIVE)));
        List<ScoredAlert> gaps = evaluation.alerts(Verdict.HISTORY_GAP);
        if (!gaps.isEmpty()) {
            long keys = gaps.stream().map(a -> a.alert().keyId()).distinct().count();
            out.println(String.format(Locale.ROOT, "history gap: %d KEY_UNUSED alerts on %d keys the simulation had "
                    + "in use, raised before keywatch saw any of that use: the input starts with the silent keys' "
                    + "history weeks before the day, but holds the keys in daily use only from %s and each expired "
                    + "or dormant key only in the minutes before its last use, so to keywatch they were unused (not "
                    + "counted as false positives; the simulator's housekeeping list omits them)",
                    gaps.size(), keys, evaluation.day().start()));
        }
        List<ScoredAlert> falsePositives = evaluation.falsePositives();
        if (!falsePositives.isEmpty()) {
            out.println("false positives:");
            out.println(String.format(Locale.ROOT, "  %-24s %-8s %-18s %-24s %s", "RULE", "SEVERITY", "KEY",
                    "TRIGGERED AT", "SUMMARY"));
            for (ScoredAlert fp : falsePositives) {
                Alert alert = fp.alert();
                out.println(String.format(Locale.ROOT, "  %-24s %-8s %-18s %-24s %s", alert.rule(), alert.severity(),
                        alert.keyId(), fp.firstTriggeredAt(), alert.summary()));
            }
        }
        out.println(String.format(Locale.ROOT, "false positives: %d over %,d key-hours (%d keys x 24 h) = %.1f per "
                        + "10,000 key-hours", falsePositives.size(), evaluation.keyHours(),
                evaluation.day().settings().keys(), evaluation.falsePositivesPer10kKeyHours()));
        out.println();
        out.println("per rule:");
        out.println(String.format(Locale.ROOT, "  %-24s %6s %10s %12s %12s %11s %6s %13s", "RULE", "ALERTS",
                "DETECTIONS", "SIDE EFFECTS", "HOUSEKEEPING", "HISTORY GAP", "FALSE", "FALSE/10K KH"));
        byRule(evaluation).forEach((rule, verdicts) -> out.println(String.format(Locale.ROOT,
                "  %-24s %6d %10d %12d %12d %11d %6d %13.1f", rule,
                verdicts.values().stream().mapToLong(Long::longValue).sum(), verdicts.get(Verdict.DETECTION),
                verdicts.get(Verdict.SIDE_EFFECT), verdicts.get(Verdict.HOUSEKEEPING),
                verdicts.get(Verdict.HISTORY_GAP), verdicts.get(Verdict.FALSE_POSITIVE),
                verdicts.get(Verdict.FALSE_POSITIVE) * 10_000.0 / evaluation.keyHours())));
        out.flush();
    }

    /** Distinct alerts per rule (the rules that raised any, in rule order) and verdict (every verdict present). */
    static Map<io.keywatch.events.AlertRule, Map<Verdict, Long>> byRule(MixedDayEvaluation evaluation) {
        Map<io.keywatch.events.AlertRule, Map<Verdict, Long>> byRule = new java.util.TreeMap<>();
        for (ScoredAlert scored : evaluation.alerts()) {
            byRule.computeIfAbsent(scored.alert().rule(), r -> {
                Map<Verdict, Long> zero = new EnumMap<>(Verdict.class);
                for (Verdict verdict : Verdict.values()) {
                    zero.put(verdict, 0L);
                }
                return zero;
            }).merge(scored.verdict(), 1L, Long::sum);
        }
        return byRule;
    }

    /** The evaluation as plain maps and lists, for JSON. */
    public static Map<String, Object> toJson(MixedDayEvaluation evaluation) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", evaluation.day().settings().seed());
        json.put("keys", evaluation.day().settings().keys());
        json.put("day", evaluation.day().day().toString());
        json.put("allDetected", evaluation.allDetected());
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (IncidentOutcome outcome : evaluation.outcomes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            Incident incident = outcome.incident();
            row.put("kind", incident.kind());
            row.put("expectedRule", outcome.expectedRule());
            row.put("keyId", incident.keyId());
            row.put("start", incident.start());
            row.put("end", incident.end());
            row.put("detected", outcome.detected());
            if (outcome.detected()) {
                row.put("alertId", outcome.detection().alert().id());
                row.put("severity", outcome.detection().alert().severity());
                row.put("triggeredAt", outcome.detection().firstTriggeredAt());
                row.put("timeToDetectSeconds", outcome.timeToDetect().toMillis() / 1000.0);
            }
            row.put("otherRules", outcome.otherRules());
            incidents.add(row);
        }
        json.put("incidents", incidents);
        Map<String, Object> alerts = new LinkedHashMap<>();
        alerts.put("distinct", evaluation.alerts().size());
        alerts.put("emitted", evaluation.rawAlertCount());
        for (Verdict verdict : Verdict.values()) {
            alerts.put(verdict.name(), evaluation.alerts(verdict).size());
        }
        json.put("alerts", alerts);
        json.put("falsePositives", evaluation.falsePositives().stream().map(EvaluationReport::alertJson).toList());
        json.put("historyGap", evaluation.alerts(Verdict.HISTORY_GAP).stream().map(EvaluationReport::alertJson).toList());
        json.put("keyHours", evaluation.keyHours());
        json.put("falsePositivesPer10kKeyHours", evaluation.falsePositivesPer10kKeyHours());
        Map<String, Object> rules = new LinkedHashMap<>();
        byRule(evaluation).forEach((rule, verdicts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            verdicts.forEach((verdict, count) -> row.put(verdict.name(), count));
            row.put("falsePositivesPer10kKeyHours", verdicts.get(Verdict.FALSE_POSITIVE) * 10_000.0
                    / evaluation.keyHours());
            rules.put(rule.name(), row);
        });
        json.put("byRule", rules);
        json.put("explained", evaluation.alerts().stream()
                .filter(a -> a.verdict() != Verdict.FALSE_POSITIVE && a.verdict() != Verdict.HISTORY_GAP)
                .map(EvaluationReport::alertJson).toList());
        return json;
    }

    private static Map<String, Object> alertJson(ScoredAlert scored) {
        Alert alert = scored.alert();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", alert.id());
        row.put("rule", alert.rule());
        row.put("severity", alert.severity());
        row.put("keyId", alert.keyId());
        row.put("windowStart", alert.windowStart());
        row.put("triggeredAt", scored.firstTriggeredAt());
        row.put("verdict", scored.verdict());
        row.put("reason", scored.reason());
        row.put("summary", alert.summary());
        return row;
    }

    static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
