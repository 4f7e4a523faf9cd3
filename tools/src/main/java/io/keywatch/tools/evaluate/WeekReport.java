package io.keywatch.tools.evaluate;

import io.keywatch.simulator.WeekScenario;
import io.keywatch.tools.evaluate.WeekEvaluation.Outcome;
import io.keywatch.tools.evaluate.WeekEvaluation.RuleSummary;
import io.keywatch.tools.evaluate.WeekEvaluation.ScenarioSummary;
import io.keywatch.tools.evaluate.WeekEvaluation.Scored;
import io.keywatch.tools.evaluate.WeekEvaluation.Verdict;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A {@link WeekEvaluation} as markdown tables and as JSON-ready maps. */
public final class WeekReport {

    private WeekReport() {
    }

    public static void print(PrintWriter out, WeekEvaluation evaluation) {
        out.println("### Per scenario");
        out.println();
        out.println("| scenario | expected | incidents | as expected | time to detect (median / max) "
                + "| alerts on its keys |");
        out.println("| --- | --- | ---: | ---: | ---: | ---: |");
        for (ScenarioSummary s : evaluation.byScenario().values()) {
            out.println(String.format(Locale.ROOT, "| %s | %s | %d | %d | %s / %s | %d |", s.scenario(),
                    expected(s.scenario()), s.incidents(), s.asExpected(), duration(s.median()),
                    duration(s.max()), s.alertsOnKeys()));
        }
        out.println();
        out.println("| incident | key | start | outcome | time to detect | alerts on the key |");
        out.println("| --- | --- | --- | --- | ---: | ---: |");
        for (Outcome o : evaluation.outcomes()) {
            out.println(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %d |", o.incident().scenario(),
                    o.incident().keyId(), o.incident().start(), o.asExpected() ? "as expected" : "**NOT**",
                    duration(o.timeToDetect()), o.alertsOnKey()));
        }
        out.println();
        out.println("### Per rule");
        out.println();
        out.println(String.format(Locale.ROOT, "| rule | alerts | detections | side effects | level-shift notices "
                + "| registry findings | false alerts | false alerts per 10,000 key-hours (%,d) |",
                evaluation.keyHours()));
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        int falseTotal = 0;
        for (RuleSummary r : evaluation.byRule().values()) {
            int falseAlerts = r.count(Verdict.FALSE_ALERT);
            falseTotal += falseAlerts;
            out.println(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %.1f |", r.rule(),
                    r.alerts(), r.count(Verdict.DETECTION), r.count(Verdict.SIDE_EFFECT),
                    r.count(Verdict.LEVEL_SHIFT_NOTICE), r.count(Verdict.REGISTRY_FINDING), falseAlerts,
                    evaluation.per10kKeyHours(falseAlerts)));
        }
        out.println(String.format(Locale.ROOT, "| all | %d | | | | | %d | %.1f |", evaluation.alerts().size(),
                falseTotal, evaluation.per10kKeyHours(falseTotal)));
        List<Scored> falseAlerts = evaluation.falseAlerts();
        if (!falseAlerts.isEmpty()) {
            out.println();
            out.println("False alerts (first 20):");
            out.println();
            falseAlerts.stream().limit(20).forEach(s -> out.println(String.format(Locale.ROOT, "- %s %s on %s at %s",
                    s.alert().rule(), s.alert().severity(), s.alert().keyId(), s.at())));
        }
        out.flush();
    }

    private static String expected(WeekScenario scenario) {
        return scenario.shouldAlert() ? scenario.expectedRule() + " during it" : "at most one alert after it";
    }

    public static Map<String, Object> toJson(WeekEvaluation evaluation) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("seed", evaluation.week().settings().seed());
        json.put("keys", evaluation.week().settings().keys());
        json.put("firstDay", evaluation.week().firstDay().toString());
        json.put("days", evaluation.week().days());
        json.put("keyHours", evaluation.keyHours());
        json.put("allAsExpected", evaluation.allAsExpected());
        Map<String, Object> scenarios = new LinkedHashMap<>();
        evaluation.byScenario().forEach((scenario, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("incidents", s.incidents());
            row.put("asExpected", s.asExpected());
            row.put("medianTimeToDetectSeconds", s.median().map(d -> d.toMillis() / 1000.0).orElse(null));
            row.put("maxTimeToDetectSeconds", s.max().map(d -> d.toMillis() / 1000.0).orElse(null));
            row.put("alertsOnKeys", s.alertsOnKeys());
            scenarios.put(scenario.name(), row);
        });
        json.put("scenarios", scenarios);
        List<Map<String, Object>> incidents = new ArrayList<>();
        for (Outcome o : evaluation.outcomes()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("scenario", o.incident().scenario());
            row.put("keyId", o.incident().keyId());
            row.put("start", o.incident().start());
            row.put("end", o.incident().end());
            row.put("detail", o.incident().detail());
            row.put("asExpected", o.asExpected());
            row.put("timeToDetectSeconds", o.timeToDetect().map(d -> d.toMillis() / 1000.0).orElse(null));
            row.put("alertsOnKey", o.alertsOnKey());
            incidents.add(row);
        }
        json.put("incidents", incidents);
        Map<String, Object> rules = new LinkedHashMap<>();
        evaluation.byRule().forEach((rule, r) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("alerts", r.alerts());
            for (Verdict verdict : Verdict.values()) {
                row.put(verdict.name(), r.count(verdict));
            }
            row.put("falseAlertsPer10kKeyHours", evaluation.per10kKeyHours(r.count(Verdict.FALSE_ALERT)));
            rules.put(rule.name(), row);
        });
        json.put("rules", rules);
        json.put("falseAlerts", evaluation.falseAlerts().stream().map(s -> Map.of("rule", s.alert().rule().name(),
                "keyId", s.alert().keyId(), "triggeredAt", s.at().toString(), "id", s.alert().id())).toList());
        return json;
    }

    static String duration(Optional<Duration> duration) {
        return duration.map(d -> String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0)).orElse("-");
    }
}
